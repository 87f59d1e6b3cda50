package io.cartrecovery.kpi;

import io.cartrecovery.keys.Keys;
import io.cartrecovery.keys.KpiMinuteKey;
import java.math.BigDecimal;

/**
 * A row of {@code contact_kpi_minute}: the totals so far of one minute of one store, channel, agent
 * and currency ({@link ContactTotals#result}). The banner of {@link Kpis} says which times count.
 *
 * @param minuteStart the window's start, epoch millis (UTC)
 * @param channel the attempt's channel wire name, '' when unknown or none (holdout rows)
 * @param agentId the agent who made the attempt or is credited with the recovery, '' for none
 * @param currency of the recovered values; '' on rows without money
 * @param attempts attempts made (their first outcome) in the minute
 * @param reached attempts that first reached the shopper in the minute
 * @param responded attempts whose shopper first responded in the minute
 * @param firstContacts carts first contacted in the minute (the prospects attempted)
 * @param firstContactSeconds the sum of their seconds from last activity to first contact
 * @param firstContactsWithin30m those contacted within 30 minutes (1,800 s) of their last activity
 * @param firstContactP50Seconds the median of those seconds in the minute, null without contacts
 * @param firstContactP90Seconds their 90th percentile in the minute, null without contacts
 * @param recoveries contacted-group carts bought in the minute (credited to the attempt that
 *     reached the shopper, else under channel and agent '')
 * @param recoveredValue their value, exact, in {@code currency}
 * @param cartsTreated contactable carts put in the contacted group in the minute
 * @param cartsHeldOut contactable carts held out in the minute
 * @param holdoutRecoveries held-out carts bought in the minute (natural recoveries)
 * @param holdoutRecoveredValue their value, exact, in {@code currency}
 */
public record ContactKpiMinute(
        long minuteStart,
        String storeId,
        String channel,
        String agentId,
        String currency,
        long attempts,
        long reached,
        long responded,
        long firstContacts,
        long firstContactSeconds,
        long firstContactsWithin30m,
        Double firstContactP50Seconds,
        Double firstContactP90Seconds,
        long recoveries,
        BigDecimal recoveredValue,
        long cartsTreated,
        long cartsHeldOut,
        long holdoutRecoveries,
        BigDecimal holdoutRecoveredValue) {

    /** The minute and dimensions: the row's identity, as the table's sorting key. */
    public KpiMinuteKey key() {
        return Keys.kpiMinute(minuteStart, storeId, channel, agentId, currency);
    }
}

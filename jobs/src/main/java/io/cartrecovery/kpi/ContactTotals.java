package io.cartrecovery.kpi;

import io.cartrecovery.keys.Keys;
import io.cartrecovery.keys.KpiMinuteKey;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * The state of a contact KPI minute: the sums of {@link ContactKpiMinute} and the seconds to first
 * contact of the minute, from which its percentiles come ({@link #result}). One follow-up step's
 * contribution has one field set ({@link Kpis#contact}).
 *
 * @param firstContactSeconds every first contact's seconds, in no particular order
 */
public record ContactTotals(
        long minuteStart,
        String storeId,
        String channel,
        String agentId,
        String currency,
        long attempts,
        long reached,
        long responded,
        long[] firstContactSeconds,
        long recoveries,
        BigDecimal recoveredValue,
        long cartsTreated,
        long cartsHeldOut,
        long holdoutRecoveries,
        BigDecimal holdoutRecoveredValue)
        implements MinuteTotal<ContactTotals> {

    /** Within 30 minutes of the cart's last activity, inclusive. */
    static final long WITHIN_30M_SECONDS = 1_800;

    @Override
    public KpiMinuteKey key() {
        return Keys.kpiMinute(minuteStart, storeId, channel, agentId, currency);
    }

    @Override
    public ContactTotals plus(ContactTotals other) {
        long[] seconds =
                Arrays.copyOf(
                        firstContactSeconds,
                        firstContactSeconds.length + other.firstContactSeconds.length);
        System.arraycopy(
                other.firstContactSeconds,
                0,
                seconds,
                firstContactSeconds.length,
                other.firstContactSeconds.length);
        return new ContactTotals(
                minuteStart,
                storeId,
                channel,
                agentId,
                currency,
                attempts + other.attempts,
                reached + other.reached,
                responded + other.responded,
                seconds,
                recoveries + other.recoveries,
                recoveredValue.add(other.recoveredValue),
                cartsTreated + other.cartsTreated,
                cartsHeldOut + other.cartsHeldOut,
                holdoutRecoveries + other.holdoutRecoveries,
                holdoutRecoveredValue.add(other.holdoutRecoveredValue));
    }

    /** The row of the minute: counts, sums and the percentiles of the seconds to first contact. */
    public ContactKpiMinute result() {
        long[] sorted = firstContactSeconds.clone();
        Arrays.sort(sorted);
        return new ContactKpiMinute(
                minuteStart,
                storeId,
                channel,
                agentId,
                currency,
                attempts,
                reached,
                responded,
                sorted.length,
                Arrays.stream(sorted).sum(),
                Arrays.stream(sorted).filter(s -> s <= WITHIN_30M_SECONDS).count(),
                percentile(sorted, 0.5),
                percentile(sorted, 0.9),
                recoveries,
                recoveredValue,
                cartsTreated,
                cartsHeldOut,
                holdoutRecoveries,
                holdoutRecoveredValue);
    }

    /**
     * Interpolated between the two nearest ranks, at {@code p x (n - 1)} (as Flink SQL's and Hive's
     * PERCENTILE); null without values.
     */
    static Double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return null;
        }
        double position = p * (sorted.length - 1);
        int lower = (int) Math.floor(position);
        int upper = (int) Math.ceil(position);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}

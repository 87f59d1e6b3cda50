package io.cartrecovery.kpi;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The KPI minutes: what one record contributes to which minute and dimensions, as plain functions
 * (the operator {@link MinuteTotals} adds the contributions up per key, {@link #rollUp} does the
 * same in one pass). Every time is event time, epoch millis, counted in its minute (UTC):
 *
 * <p><b>kpi_minute</b>, per store, stage, reason and currency: {@code carts_abandoned,
 * abandoned_value} by the cart's last activity ({@code abandoned_at}), its value exact per currency
 * and never summed across currencies; {@code tasks_created} when the cart's gap ran out, {@code
 * tasks_cancelled} at the purchase or emptying; {@code carts_created} by the event that put the
 * first item in (the denominator of the abandonment rate: {@code sum(carts_abandoned) /
 * sum(carts_created)}). The times the ClickHouse {@code *_per_minute} views use; unlike them, every
 * report counts: a cart abandoned again after its report counts twice (the views count its latest
 * report only). A cancel and a created cart know only their store: they count under stage, reason
 * and currency ''; so do carts without prices under currency ''.
 *
 * <p><b>contact_kpi_minute</b>, per store, channel, agent and currency, from the follow-up's steps
 * ({@link ContactEvent}, each once): {@code attempts, reached, responded} (response rate of a
 * channel: responded / attempts; reach rate of an agent: reached / attempts); {@code
 * first_contacts} (attempts per prospect: attempts / first_contacts), {@code first_contact_seconds}
 * (their sum: average = first_contact_seconds / first_contacts, exact over any range), {@code
 * first_contacts_within_30m} (at most 1,800 s), {@code first_contact_p50_seconds, _p90_seconds}
 * (the minute's, interpolated; percentiles of minutes do not add up, ranges read the facts); {@code
 * recoveries, recovered_value} (contacted-group carts bought within the attribution window, under
 * the channel and agent of the attempt credited, else ''), {@code carts_treated, carts_held_out}
 * and {@code holdout_recoveries, holdout_recovered_value} (natural recoveries). Recovery rate vs
 * holdout: recoveries / carts_treated - holdout_recoveries / carts_held_out. Missing channel,
 * agent, currency: ''.
 *
 * <p><b>alert_kpi_minute</b>, per store, agent and type: {@code alerts} by the time the situation
 * arose; alerts of no store or agent count under ''.
 */
public final class Kpis {
    /** One minute, in millis. */
    static final long MINUTE_MILLIS = 60_000;

    private static final BigDecimal NONE = BigDecimal.ZERO.setScale(4);

    private Kpis() {}

    /** The start of the minute of {@code epochMillis}. */
    static long minute(long epochMillis) {
        return Math.floorDiv(epochMillis, MINUTE_MILLIS) * MINUTE_MILLIS;
    }

    /** A cart reported abandoned: counts in the minute of its last activity. */
    public static KpiMinute abandoned(
            String store,
            String stage,
            String reason,
            String currency,
            BigDecimal value,
            long abandonedAt) {
        return new KpiMinute(
                minute(abandonedAt),
                store,
                stage,
                reason,
                orEmpty(currency),
                1,
                money(value),
                0,
                0,
                0);
    }

    /** A first task created (when the cart's gap ran out), under the cart's dimensions. */
    public static KpiMinute created(
            String store, String stage, String reason, String currency, long occurredAt) {
        return new KpiMinute(
                minute(occurredAt),
                store,
                orEmpty(stage),
                orEmpty(reason),
                orEmpty(currency),
                0,
                NONE,
                1,
                0,
                0);
    }

    /** A task cancelled by a purchase or emptying: knows only its store. */
    public static KpiMinute cancelled(String store, long occurredAt) {
        return new KpiMinute(minute(occurredAt), store, "", "", "", 0, NONE, 0, 1, 0);
    }

    /** A cart opened (its first item put in): knows only its store. */
    public static KpiMinute opened(String store, long openedAt) {
        return new KpiMinute(minute(openedAt), store, "", "", "", 0, NONE, 0, 0, 1);
    }

    /** One step of the follow-up, in its minute. */
    public static ContactTotals contact(ContactEvent step) {
        String type = step.type();
        BigDecimal value = money(step.value());
        boolean recovered = type.equals(ContactEvent.RECOVERED);
        boolean holdoutRecovered = type.equals(ContactEvent.HOLDOUT_RECOVERED);
        return new ContactTotals(
                minute(step.time()),
                orEmpty(step.storeId()),
                orEmpty(step.channel()),
                orEmpty(step.agentId()),
                orEmpty(step.currency()),
                type.equals(ContactEvent.ATTEMPTED) ? 1 : 0,
                type.equals(ContactEvent.REACHED) ? 1 : 0,
                type.equals(ContactEvent.RESPONDED) ? 1 : 0,
                type.equals(ContactEvent.FIRST_CONTACT)
                        ? new long[] {step.seconds() == null ? 0 : step.seconds()}
                        : new long[0],
                recovered ? 1 : 0,
                recovered ? value : NONE,
                type.equals(ContactEvent.TREATED) ? 1 : 0,
                type.equals(ContactEvent.HELD_OUT) ? 1 : 0,
                holdoutRecovered ? 1 : 0,
                holdoutRecovered ? value : NONE);
    }

    /** An alert raised, in the minute the situation arose. */
    public static AlertKpiMinute alert(String store, String agent, String type, long raisedAt) {
        return new AlertKpiMinute(minute(raisedAt), orEmpty(store), orEmpty(agent), type, 1);
    }

    /**
     * The totals of every minute and dimensions of {@code rows}, in key order: what {@link
     * MinuteTotals} holds once it has seen them all, in any order.
     */
    public static <T extends MinuteTotal<T>> List<T> rollUp(Collection<T> rows) {
        Map<String, T> totals = new TreeMap<>();
        rows.forEach(row -> totals.merge(row.key().value(), row, MinuteTotal::plus));
        return List.copyOf(totals.values());
    }

    /**
     * Rounded half-even to the column's scale here, as the facts are, so the minutes add up the
     * very amounts stored in abandoned_carts and recoveries; none counts as 0.
     */
    static BigDecimal money(BigDecimal amount) {
        return amount == null ? NONE : amount.setScale(4, RoundingMode.HALF_EVEN);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}

package io.cartrecovery.kpi;

import io.cartrecovery.keys.Keys;
import io.cartrecovery.keys.KpiMinuteKey;
import java.math.BigDecimal;

/**
 * A row of {@code kpi_minute}: the totals so far of one minute of one store, stage, reason and
 * currency, or the contribution of one record to them ({@link Kpis}).
 *
 * @param minuteStart the minute, epoch millis (UTC)
 * @param stage '' for cancels and created carts
 * @param reason '' for cancels and created carts
 * @param currency '' for cancels, created carts and carts without prices
 * @param abandonedValue exact, in {@code currency}, at scale 4
 * @param cartsCreated carts opened in the minute (counted under stage, reason and currency '')
 */
public record KpiMinute(
        long minuteStart,
        String storeId,
        String stage,
        String reason,
        String currency,
        long cartsAbandoned,
        BigDecimal abandonedValue,
        long tasksCreated,
        long tasksCancelled,
        long cartsCreated)
        implements MinuteTotal<KpiMinute> {

    @Override
    public KpiMinuteKey key() {
        return Keys.kpiMinute(minuteStart, storeId, stage, reason, currency);
    }

    @Override
    public KpiMinute plus(KpiMinute other) {
        return new KpiMinute(
                minuteStart,
                storeId,
                stage,
                reason,
                currency,
                cartsAbandoned + other.cartsAbandoned,
                abandonedValue.add(other.abandonedValue),
                tasksCreated + other.tasksCreated,
                tasksCancelled + other.tasksCancelled,
                cartsCreated + other.cartsCreated);
    }
}

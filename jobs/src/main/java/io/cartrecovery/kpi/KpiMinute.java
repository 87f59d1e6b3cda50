package io.cartrecovery.kpi;

import java.math.BigDecimal;

/**
 * One row of {@code sql/flink/kpi_minute.sql}: a closed minute of one store, stage, reason and
 * currency.
 *
 * @param minuteStart the window's start, epoch millis (UTC)
 * @param currency '' for cancels and carts without prices
 * @param abandonedValue exact, in {@code currency}
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
        long cartsCreated) {}

package io.cartrecovery.kpi;

import java.math.BigDecimal;

/**
 * One row of {@code sql/flink/contact_kpi_minute.sql}: a closed minute of one store, channel and
 * currency.
 *
 * @param minuteStart the window's start, epoch millis (UTC)
 * @param channel the attempt's channel wire name, '' when unknown
 * @param currency of {@code recoveredValue}; '' for attempts and recoveries without a currency
 * @param attempts attempts made (their first outcome) in the minute
 * @param reached attempts that first reached the shopper in the minute
 * @param responded attempts whose shopper first responded in the minute
 * @param recoveries purchases attributed to an attempt of the channel in the minute
 * @param recoveredValue their value, exact, in {@code currency}
 */
public record ContactKpiMinute(
        long minuteStart,
        String storeId,
        String channel,
        String currency,
        long attempts,
        long reached,
        long responded,
        long recoveries,
        BigDecimal recoveredValue) {}

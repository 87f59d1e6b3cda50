package io.cartrecovery.kpi;

import java.math.BigDecimal;

/**
 * One row of the contact KPI windows' input: a step of an attempt that counts once.
 *
 * @param type 'attempted', 'reached', 'responded' or 'recovered'
 * @param channel the attempt's channel wire name, or null
 * @param currency of {@code value} (recovered), or null
 * @param value the recovered value, exact (recovered), or null
 * @param time event time, epoch millis
 */
public record ContactEvent(
        String storeId,
        String channel,
        String type,
        String currency,
        BigDecimal value,
        long time) {}

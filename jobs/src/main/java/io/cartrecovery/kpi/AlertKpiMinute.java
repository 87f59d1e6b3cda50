package io.cartrecovery.kpi;

import io.cartrecovery.keys.Keys;
import io.cartrecovery.keys.KpiMinuteKey;

/**
 * A row of {@code alert_kpi_minute}: the supervisor alerts raised so far in one minute, per store,
 * agent and type, or one alert's contribution ({@link Kpis}).
 *
 * @param minuteStart the minute, epoch millis (UTC)
 * @param storeId the alert's store, '' for alerts of no store (queue, agent)
 * @param agentId the agent concerned, '' for none
 * @param type the alert type's wire name
 * @param alerts how many were raised
 */
public record AlertKpiMinute(
        long minuteStart, String storeId, String agentId, String type, long alerts)
        implements MinuteTotal<AlertKpiMinute> {

    @Override
    public KpiMinuteKey key() {
        return Keys.kpiMinute(minuteStart, storeId, agentId, type);
    }

    @Override
    public AlertKpiMinute plus(AlertKpiMinute other) {
        return new AlertKpiMinute(minuteStart, storeId, agentId, type, alerts + other.alerts);
    }
}

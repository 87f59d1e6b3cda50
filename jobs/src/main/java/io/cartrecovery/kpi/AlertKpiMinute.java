package io.cartrecovery.kpi;

/**
 * One row of {@code sql/flink/alert_kpi_minute.sql}: the supervisor alerts raised in a closed
 * minute, per store, agent and type.
 *
 * @param minuteStart the window's start, epoch millis (UTC)
 * @param storeId the alert's store, '' for alerts of no store (queue, agent)
 * @param agentId the agent concerned, '' for none
 * @param type the alert type's wire name
 * @param alerts how many were raised
 */
public record AlertKpiMinute(
        long minuteStart, String storeId, String agentId, String type, long alerts) {}

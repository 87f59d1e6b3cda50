package io.cartrecovery.clickhouse;

import static io.cartrecovery.clickhouse.FactTable.seconds;

import io.cartrecovery.kpi.AlertKpiMinute;
import java.util.List;

/**
 * Alert KPI windows: one row per minute, store, agent and type; a window written again (a restart,
 * a replay) replaces its row. Ids of stores and agents only.
 */
final class AlertKpiMinuteTable implements FactTable<AlertKpiMinute> {
    private static final long serialVersionUID = 1L;

    @Override
    public String table() {
        return "alert_kpi_minute";
    }

    @Override
    public List<String> columns() {
        return List.of("store_id", "window_start", "agent_id", "type", "alerts", "version");
    }

    @Override
    public Object[] row(AlertKpiMinute kpi, long version, CustomerIds ids) {
        return new Object[] {
            kpi.storeId(),
            seconds(kpi.minuteStart()),
            kpi.agentId(),
            kpi.type(),
            kpi.alerts(),
            version
        };
    }
}

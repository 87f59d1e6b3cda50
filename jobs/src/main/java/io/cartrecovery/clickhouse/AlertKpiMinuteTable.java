package io.cartrecovery.clickhouse;

import static io.cartrecovery.clickhouse.FactTable.seconds;

import io.cartrecovery.kpi.AlertKpiMinute;
import java.util.List;

/**
 * Alert KPI minutes: one row per minute, store, agent and type, written again with newer totals
 * whenever they change (and by a restart, a replay): the latest replaces the others. Ids of stores
 * and agents only.
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

    /** Minute and dimensions, as the table's sorting key: the latest totals of a batch win. */
    @Override
    public Object replaceKey(AlertKpiMinute kpi) {
        return kpi.key();
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

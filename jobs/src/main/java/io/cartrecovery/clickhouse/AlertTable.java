package io.cartrecovery.clickhouse;

import io.cartrecovery.assignment.Alert;
import java.util.List;

/** Supervisor alerts: one row per alert id, for the "Alerts raised" figures. */
final class AlertTable implements FactTable<Alert> {
    private static final long serialVersionUID = 1L;

    @Override
    public String table() {
        return "alerts";
    }

    @Override
    public List<String> columns() {
        return List.of(
                "alert_id",
                "type",
                "raised_at",
                "store_id",
                "task_id",
                "agent_id",
                "cause",
                "version");
    }

    @Override
    public Object[] row(Alert alert, long version, CustomerIds ids) {
        return new Object[] {
            alert.alertId(),
            alert.type().wireName(),
            FactTable.seconds(alert.at()),
            orEmpty(alert.storeId()),
            orEmpty(alert.taskId()),
            orEmpty(alert.agentId()),
            orEmpty(alert.cause()),
            version
        };
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}

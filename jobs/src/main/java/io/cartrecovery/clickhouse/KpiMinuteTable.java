package io.cartrecovery.clickhouse;

import static io.cartrecovery.clickhouse.FactTable.seconds;

import io.cartrecovery.kpi.KpiMinute;
import java.util.List;

/**
 * KPI minutes: one row per minute and dimensions, written again with newer totals (and a newer
 * version) whenever they change, and by a restart or a replay: the latest replaces the others.
 * Holds no customer or cart ids, so there is nothing to hash.
 */
final class KpiMinuteTable implements FactTable<KpiMinute> {
    private static final long serialVersionUID = 1L;

    @Override
    public String table() {
        return "kpi_minute";
    }

    @Override
    public List<String> columns() {
        return List.of(
                "store_id",
                "window_start",
                "stage",
                "reason",
                "currency",
                "carts_abandoned",
                "abandoned_value",
                "tasks_created",
                "tasks_cancelled",
                "carts_created",
                "version");
    }

    /** Minute and dimensions, as the table's sorting key: the latest totals of a batch win. */
    @Override
    public Object replaceKey(KpiMinute kpi) {
        return kpi.key();
    }

    @Override
    public Object[] row(KpiMinute kpi, long version, CustomerIds ids) {
        return new Object[] {
            kpi.storeId(),
            seconds(kpi.minuteStart()),
            kpi.stage(),
            kpi.reason(),
            kpi.currency(),
            kpi.cartsAbandoned(),
            KpiSums.fitted(
                    kpi.abandonedValue(),
                    "kpi_minute.abandoned_value",
                    kpi.storeId(),
                    kpi.minuteStart()),
            kpi.tasksCreated(),
            kpi.tasksCancelled(),
            kpi.cartsCreated(),
            version
        };
    }
}

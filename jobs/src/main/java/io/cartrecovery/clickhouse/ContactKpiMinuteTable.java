package io.cartrecovery.clickhouse;

import static io.cartrecovery.clickhouse.FactTable.money;
import static io.cartrecovery.clickhouse.FactTable.seconds;

import io.cartrecovery.kpi.ContactKpiMinute;
import java.util.List;

/**
 * Contact KPI windows: one row per minute, store, channel and currency; a window written again (a
 * restart, a replay) replaces its row. Holds no customer or cart ids.
 */
final class ContactKpiMinuteTable implements FactTable<ContactKpiMinute> {
    private static final long serialVersionUID = 1L;

    @Override
    public String table() {
        return "contact_kpi_minute";
    }

    @Override
    public List<String> columns() {
        return List.of(
                "store_id",
                "window_start",
                "channel",
                "currency",
                "attempts",
                "reached",
                "responded",
                "recoveries",
                "recovered_value",
                "version");
    }

    @Override
    public Object[] row(ContactKpiMinute kpi, long version, CustomerIds ids) {
        return new Object[] {
            kpi.storeId(),
            seconds(kpi.minuteStart()),
            kpi.channel(),
            kpi.currency(),
            kpi.attempts(),
            kpi.reached(),
            kpi.responded(),
            kpi.recoveries(),
            money(kpi.recoveredValue()),
            version
        };
    }
}

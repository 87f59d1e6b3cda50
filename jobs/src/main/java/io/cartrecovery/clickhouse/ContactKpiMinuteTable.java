package io.cartrecovery.clickhouse;

import static io.cartrecovery.clickhouse.FactTable.seconds;

import io.cartrecovery.kpi.ContactKpiMinute;
import java.util.List;

/**
 * Contact KPI minutes: one row per minute, store, channel, agent and currency, written again with
 * newer totals whenever they change (and by a restart, a replay): the latest replaces the others.
 * Holds no customer or cart ids.
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
                "agent_id",
                "currency",
                "attempts",
                "reached",
                "responded",
                "first_contacts",
                "first_contact_seconds",
                "first_contacts_within_30m",
                "first_contact_p50_seconds",
                "first_contact_p90_seconds",
                "recoveries",
                "recovered_value",
                "carts_treated",
                "carts_held_out",
                "holdout_recoveries",
                "holdout_recovered_value",
                "version");
    }

    /** Minute and dimensions, as the table's sorting key: the latest totals of a batch win. */
    @Override
    public Object replaceKey(ContactKpiMinute kpi) {
        return kpi.key();
    }

    @Override
    public Object[] row(ContactKpiMinute kpi, long version, CustomerIds ids) {
        return new Object[] {
            kpi.storeId(),
            seconds(kpi.minuteStart()),
            kpi.channel(),
            kpi.agentId(),
            kpi.currency(),
            kpi.attempts(),
            kpi.reached(),
            kpi.responded(),
            kpi.firstContacts(),
            kpi.firstContactSeconds(),
            kpi.firstContactsWithin30m(),
            kpi.firstContactP50Seconds(),
            kpi.firstContactP90Seconds(),
            kpi.recoveries(),
            KpiSums.fitted(
                    kpi.recoveredValue(),
                    "contact_kpi_minute.recovered_value",
                    kpi.storeId(),
                    kpi.minuteStart()),
            kpi.cartsTreated(),
            kpi.cartsHeldOut(),
            kpi.holdoutRecoveries(),
            KpiSums.fitted(
                    kpi.holdoutRecoveredValue(),
                    "contact_kpi_minute.holdout_recovered_value",
                    kpi.storeId(),
                    kpi.minuteStart()),
            version
        };
    }
}

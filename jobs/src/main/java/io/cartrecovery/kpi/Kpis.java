package io.cartrecovery.kpi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.TableEnvironment;

/**
 * The KPI windows: pure rollups of the job's facts, as SQL kept in the repository's {@code
 * sql/flink/} (the build copies it onto the class path). Connectors are attached by the caller; the
 * same queries run in a streaming job (windows close on the watermark) and in a batch table
 * environment (tests on {@code fromValues}).
 */
public final class Kpis {
    private static final String KPI_MINUTE = "sql/flink/kpi_minute.sql";
    private static final String CONTACT_KPI_MINUTE = "sql/flink/contact_kpi_minute.sql";
    private static final String ALERT_KPI_MINUTE = "sql/flink/alert_kpi_minute.sql";

    private Kpis() {}

    /**
     * Carts abandoned, their value, contact tasks created and cancelled and carts created, per
     * minute and per store, stage, reason and currency (the banner of {@code
     * sql/flink/kpi_minute.sql} says which times count).
     *
     * @param abandonedCarts (store_id, stage, reason, currency, cart_value DECIMAL(18, 4),
     *     abandoned_at TIMESTAMP(3) UTC, the event-time attribute in streaming)
     * @param contactTasks (store_id, type, stage, reason, currency, occurred_at TIMESTAMP(3) UTC,
     *     the event-time attribute in streaming)
     * @param createdCarts (store_id, created_at TIMESTAMP(3) UTC, the event-time attribute in
     *     streaming)
     * @return (minute_start TIMESTAMP(3) UTC, store_id, stage, reason, currency, carts_abandoned,
     *     abandoned_value DECIMAL(38, 4), tasks_created, tasks_cancelled, carts_created)
     */
    public static Table perMinute(
            TableEnvironment env, Table abandonedCarts, Table contactTasks, Table createdCarts) {
        // The names the query reads; temporary, so nothing outlives this environment.
        env.createTemporaryView("abandoned_carts", abandonedCarts);
        env.createTemporaryView("contact_tasks", contactTasks);
        env.createTemporaryView("created_carts", createdCarts);
        return env.sqlQuery(resource(KPI_MINUTE));
    }

    /**
     * What the follow-up did and what came of it, per minute and per store, channel, agent and
     * currency: attempts made, reached and responded, first contacts with their times, recoveries,
     * holdout membership and natural recoveries (the banner of {@code
     * sql/flink/contact_kpi_minute.sql} says which times count and how each KPI derives).
     *
     * @param contactEvents (store_id, channel, agent_id, type (see {@link ContactEvent}), currency,
     *     recovered_value DECIMAL(18, 4), seconds BIGINT, occurred_at TIMESTAMP(3) UTC, the
     *     event-time attribute in streaming)
     * @return (minute_start TIMESTAMP(3) UTC, store_id, channel, agent_id, currency, attempts,
     *     reached, responded, first_contacts, first_contact_seconds, first_contacts_within_30m,
     *     first_contact_p50_seconds DOUBLE, first_contact_p90_seconds DOUBLE, recoveries,
     *     recovered_value DECIMAL(38, 4), carts_treated, carts_held_out, holdout_recoveries,
     *     holdout_recovered_value DECIMAL(38, 4))
     */
    public static Table contactsPerMinute(TableEnvironment env, Table contactEvents) {
        env.createTemporaryView("contact_events", contactEvents);
        return env.sqlQuery(resource(CONTACT_KPI_MINUTE));
    }

    /**
     * Supervisor alerts raised per minute and per store, agent and type.
     *
     * @param alertEvents (store_id, agent_id, type, raised_at TIMESTAMP(3) UTC, the event-time
     *     attribute in streaming)
     * @return (minute_start TIMESTAMP(3) UTC, store_id, agent_id, type, alerts)
     */
    public static Table alertsPerMinute(TableEnvironment env, Table alertEvents) {
        env.createTemporaryView("alert_events", alertEvents);
        return env.sqlQuery(resource(ALERT_KPI_MINUTE));
    }

    private static String resource(String name) {
        try (InputStream in = Kpis.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }
}

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
     * Contact attempts made, attempts that reached the shopper and that got a response, recoveries
     * and their exact value, per minute and per store, channel and currency (the banner of {@code
     * sql/flink/contact_kpi_minute.sql} says which times count).
     *
     * @param contactEvents (store_id, channel, type 'attempted' | 'reached' | 'responded' |
     *     'recovered', currency, recovered_value DECIMAL(18, 4), occurred_at TIMESTAMP(3) UTC, the
     *     event-time attribute in streaming)
     * @return (minute_start TIMESTAMP(3) UTC, store_id, channel, currency, attempts, reached,
     *     responded, recoveries, recovered_value DECIMAL(38, 4))
     */
    public static Table contactsPerMinute(TableEnvironment env, Table contactEvents) {
        env.createTemporaryView("contact_events", contactEvents);
        return env.sqlQuery(resource(CONTACT_KPI_MINUTE));
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

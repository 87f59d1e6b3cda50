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

    private Kpis() {}

    /**
     * Carts abandoned, their value and contact tasks created and cancelled, per minute and per
     * store, stage, reason and currency (the banner of {@code sql/flink/kpi_minute.sql} says which
     * times count).
     *
     * @param abandonedCarts (store_id, stage, reason, currency, cart_value DECIMAL(18, 4),
     *     abandoned_at TIMESTAMP(3) UTC, the event-time attribute in streaming)
     * @param contactTasks (store_id, type, stage, reason, currency, occurred_at TIMESTAMP(3) UTC,
     *     the event-time attribute in streaming)
     * @return (minute_start TIMESTAMP(3) UTC, store_id, stage, reason, currency, carts_abandoned,
     *     abandoned_value DECIMAL(38, 4), tasks_created, tasks_cancelled)
     */
    public static Table perMinute(TableEnvironment env, Table abandonedCarts, Table contactTasks) {
        // The names the query reads; temporary, so nothing outlives this environment.
        env.createTemporaryView("abandoned_carts", abandonedCarts);
        env.createTemporaryView("contact_tasks", contactTasks);
        return env.sqlQuery(resource(KPI_MINUTE));
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

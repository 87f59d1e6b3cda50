package io.cartrecovery.clickhouse;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.ReplayRun.clockAt;
import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.config.ClickHouseOptions;
import io.cartrecovery.testing.ClickHouseServer;
import io.cartrecovery.testing.LogCapture;
import io.cartrecovery.testing.ReplayRun;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The money range's bound on the KPI windows (docs/limits.md#money): two carts each within the
 * range, abandoned in the same minute of the same store, stage, reason and currency, add up to more
 * than a {@code Decimal(18, 4)} column holds. The replay still ends (ClickHouse would refuse the
 * row for good, and the writer retry it until the job failed), the facts stay exact, the boards'
 * sums over the facts too, and the window's row holds the column's largest value with a WARN naming
 * it.
 */
class KpiSumBoundTest {
    @RegisterExtension static final ClickHouseServer CLICKHOUSE = new ClickHouseServer();

    @TempDir Path dir;

    private static final String PRICE = "60000000000000.0000";

    @Test
    void aWindowSumBeyondItsColumnIsCappedAndNamedWhileTheFactsStayExact() throws Exception {
        String database = CLICKHOUSE.newDatabase();
        new SchemaMigrator(new ClickHouseHttp(CLICKHOUSE.clickHouseSettings(database)), database)
                .apply(Migrations.bundled());
        Map<String, String> settings = new HashMap<>(CLICKHOUSE.settings(database));
        // Short, so that a writer stuck on the row fails the test instead of waiting 5 minutes.
        settings.put(ClickHouseOptions.RETRY_TIMEOUT.key(), "20s");
        ReplayRun run;
        String logs;
        try (LogCapture capture = LogCapture.start()) {
            run =
                    ReplayRun.of(
                            dir,
                            List.of(
                                    add("p1", 1, PRICE).cart("big-1").atMinute(0).json(),
                                    add("p1", 1, PRICE).cart("big-2").atMinute(0.1).json(),
                                    clockAt(30)),
                            settings);
            logs = capture.text();
        }
        assertThat(run.abandoned).hasSize(2);
        assertThat(
                        CLICKHOUSE.rows(
                                database,
                                "SELECT cart_id, toString(cart_value) AS value FROM"
                                        + " abandoned_carts_latest ORDER BY cart_id"))
                .extracting(row -> row.get("value"))
                .containsExactly("60000000000000.0000", "60000000000000.0000");
        assertThat(
                        CLICKHOUSE
                                .rows(
                                        database,
                                        "SELECT toString(sum(cart_value)) AS value FROM"
                                                + " abandoned_carts_per_minute")
                                .get(0)
                                .get("value"))
                .as("the boards add the facts up exactly")
                .isEqualTo("120000000000000.0000");
        List<Map<String, String>> kpi =
                CLICKHOUSE.rows(
                        database,
                        "SELECT carts_abandoned, toString(abandoned_value) AS value FROM"
                                + " kpi_minute_latest WHERE carts_abandoned > 0");
        assertThat(kpi).hasSize(1);
        assertThat(kpi.get(0))
                .containsEntry("carts_abandoned", "2")
                .containsEntry("value", "99999999999999.9999");
        assertThat(logs)
                .contains(
                        "kpi_minute.abandoned_value of store shop-1 at ",
                        "is 120000000000000.0000, beyond its Decimal(18, 4) column");
    }
}

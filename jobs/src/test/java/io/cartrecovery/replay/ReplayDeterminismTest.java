package io.cartrecovery.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrecovery.clickhouse.ClickHouseHttp;
import io.cartrecovery.clickhouse.Migrations;
import io.cartrecovery.clickhouse.SchemaMigrator;
import io.cartrecovery.testing.ClickHouseServer;
import io.cartrecovery.testing.ReplayRun;
import io.cartrecovery.testing.SeededDay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same input, same output (issue 12, item 5 a-c): a seeded day of shopping ({@link SeededDay}:
 * carts with and without profiles, checkouts, purchases inside and after the gap, bursts of events
 * seconds apart, broken lines) with an agents roster, replayed twice, at parallelism 1, 2 and 4,
 * and with the events permuted within the out-of-orderness bound, gives the same tasks, task
 * events, abandoned carts, alerts and dead letters, and the same rows in every ClickHouse fact view
 * and KPI window (each run writes to a database of its own), wall-clock fields aside.
 */
class ReplayDeterminismTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @RegisterExtension static final ClickHouseServer CLICKHOUSE = new ClickHouseServer();

    /** Every fact view and KPI window the boards read. */
    private static final List<String> CLICKHOUSE_VIEWS =
            List.of(
                    "abandoned_carts_latest",
                    "contact_tasks_latest",
                    "contact_attempts_latest",
                    "alerts_latest",
                    "holdout_latest",
                    "recoveries_latest",
                    "kpi_minute_latest",
                    "contact_kpi_minute_latest",
                    "alert_kpi_minute_latest");

    /** Columns that record the run's wall clock: stamps and row versions. */
    private static final List<String> WALL_CLOCK_COLUMNS =
            List.of("emitted_at", "detected_at", "version", "row_version");

    /** Fields that record the run's own wall clock, by the schemas' word. */
    private static final List<String> WALL_CLOCK =
            List.of("emitted_at", "detected_at", "failed_at", "rejected_at");

    private static final long BOUND_MILLIS = 5_000;

    @TempDir Path dir;

    private final SeededDay day = new SeededDay(20261207L);

    @Test
    void theSameFilesGiveTheSameResultsWhateverTheRunTheParallelismOrTheOrderWithinTheBound()
            throws Exception {
        List<String> inOrder = SeededDay.lines(day.events);
        Map<String, List<String>> reference = results(inOrder, 2);
        assertThat(reference.get("tasks"))
                .as(
                        "the day makes tasks: %s",
                        reference.entrySet().stream()
                                .map(
                                        e ->
                                                e.getKey()
                                                        + "="
                                                        + e.getValue().size()
                                                        + " "
                                                        + e.getValue().stream().limit(2).toList())
                                .toList())
                .hasSizeGreaterThan(10);
        assertThat(reference.get("abandoned")).hasSizeGreaterThan(20);
        assertThat(reference.get("task events")).isNotEmpty();
        assertThat(reference.get("dead letters")).hasSize(2);
        assertThat(reference.get("clickhouse contact_tasks_latest")).hasSizeGreaterThan(10);
        assertThat(reference.get("clickhouse kpi_minute_latest")).hasSizeGreaterThan(20);
        assertThat(reference.get("clickhouse contact_kpi_minute_latest")).isNotEmpty();

        assertSame(results(inOrder, 2), reference, "a second replay");
        assertSame(results(inOrder, 1), reference, "parallelism 1");
        assertSame(results(inOrder, 4), reference, "parallelism 4");
        List<String> permuted =
                SeededDay.lines(
                        SeededDay.permutedWithinTheBound(day.events, BOUND_MILLIS, new Random(7)));
        assertThat(permuted).isNotEqualTo(inOrder);
        assertSame(results(permuted, 2), reference, "permuted within the bound");
    }

    /** Equal results, or a failure that lists only what differs, file by file. */
    private static void assertSame(
            Map<String, List<String>> actual, Map<String, List<String>> expected, String run) {
        StringBuilder differences = new StringBuilder();
        expected.forEach(
                (file, lines) -> {
                    List<String> missing = new ArrayList<>(lines);
                    actual.get(file).forEach(missing::remove);
                    List<String> extra = new ArrayList<>(actual.get(file));
                    lines.forEach(extra::remove);
                    missing.forEach(
                            l ->
                                    differences
                                            .append(file)
                                            .append(" only before: ")
                                            .append(l)
                                            .append('\n'));
                    extra.forEach(
                            l ->
                                    differences
                                            .append(file)
                                            .append(" only in ")
                                            .append(run)
                                            .append(": ")
                                            .append(l)
                                            .append('\n'));
                });
        assertThat(differences.toString()).as(run).isEmpty();
    }

    private Map<String, List<String>> results(List<String> lines, int parallelism)
            throws Exception {
        // The same file name in every run: dead letters name their file.
        Path input = Files.createTempDirectory(dir, "run").resolve("events.jsonl");
        Files.write(input, lines);
        Path profileFile = Files.createTempFile(dir, "profiles", ".jsonl");
        Files.write(profileFile, day.profiles);
        Path agentFile = Files.createTempFile(dir, "agents", ".jsonl");
        Files.write(agentFile, SeededDay.agents());
        String database = CLICKHOUSE.newDatabase();
        new SchemaMigrator(new ClickHouseHttp(CLICKHOUSE.clickHouseSettings(database)), database)
                .apply(Migrations.bundled());
        ReplayRun run =
                ReplayRun.ofFiles(
                        dir,
                        input,
                        profileFile,
                        agentFile,
                        null,
                        CLICKHOUSE.settings(database),
                        parallelism);
        Map<String, List<String>> results = new TreeMap<>();
        results.put("abandoned", normalized(run.abandoned));
        results.put("tasks", normalized(run.tasks));
        results.put("task events", normalized(run.taskEvents));
        results.put("alerts", normalized(run.alerts));
        results.put("dead letters", normalized(run.deadLetters));
        for (String view : CLICKHOUSE_VIEWS) {
            results.put("clickhouse " + view, rows(database, view));
        }
        return results;
    }

    /** A view's rows without their wall-clock columns, sorted. */
    private static List<String> rows(String database, String view) {
        return CLICKHOUSE.rows(database, "SELECT * FROM " + view).stream()
                .map(
                        row -> {
                            Map<String, String> copy = new TreeMap<>(row);
                            WALL_CLOCK_COLUMNS.forEach(copy::remove);
                            return copy.toString();
                        })
                .sorted()
                .toList();
    }

    /** Each record without its wall-clock fields, sorted: files list records in any order. */
    private static List<String> normalized(List<JsonNode> records, String... alsoLeftOut) {
        return records.stream()
                .map(
                        record -> {
                            ObjectNode copy = record.deepCopy();
                            WALL_CLOCK.forEach(copy::remove);
                            List.of(alsoLeftOut).forEach(copy::remove);
                            if (copy.path("source").has("file")) {
                                ((ObjectNode) copy.get("source"))
                                        .put(
                                                "file",
                                                Path.of(copy.get("source").get("file").asText())
                                                        .getFileName()
                                                        .toString());
                            }
                            return copy.toString();
                        })
                .sorted()
                .toList();
    }
}

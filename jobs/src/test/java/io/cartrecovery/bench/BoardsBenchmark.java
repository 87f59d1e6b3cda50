package io.cartrecovery.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.clickhouse.ClickHouseHttp;
import io.cartrecovery.clickhouse.Migration;
import io.cartrecovery.clickhouse.Migrations;
import io.cartrecovery.clickhouse.SchemaMigrator;
import io.cartrecovery.config.ClickHouseOptions;
import io.cartrecovery.config.ClickHouseSettings;
import io.cartrecovery.config.Configs;
import io.cartrecovery.report.GrafanaBoards;
import io.cartrecovery.testing.Boards;
import io.cartrecovery.testing.ClickHouseServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How long the boards' panels take over a large store: the real ClickHouse 18.16 of the tests, the
 * schema of {@code sql/clickhouse}, facts of 30 days generated inside ClickHouse ({@code
 * bench/boards-facts.sql}: 2 million abandoned carts across 60 stores by default, their holdout,
 * tasks, attempts, recoveries, alerts and KPI windows, with rows written again as the job writes
 * them), then every panel target and store variable of the four boards, with the macros expanded as
 * the Grafana plugin does ({@link Boards#expand}) and {@code $store} as "All", over the last 30
 * days and the last 24 hours; median of 3 runs each.
 *
 * <p>Measures, never judges timing: it asserts only that every query runs. Run with {@code mvn -B
 * -pl jobs -am test -Dtest=BoardsBenchmark -Dtest.excludedGroups= -Dgroups=benchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}; {@code -Dbench.carts=N} for another size, {@code
 * -Dbench.baseline=REV} to measure the schema and boards of git revision REV beside the current
 * ones (same facts, each query right before its current version, so both see the same load).
 * Results go to {@code jobs/target/benchmark/boards.md}, rewritten after every query.
 */
@Tag("benchmark")
class BoardsBenchmark {
    private static final long CARTS = Long.getLong("bench.carts", 2_000_000);
    private static final int STORES = 60;
    private static final int DAYS = 30;
    private static final int RUNS = 3;
    private static final long SINGLE_RUN_MILLIS = Long.getLong("bench.single-run-above-ms", 10_000);

    /**
     * Grafana's $__interval for a panel about 1000 pixels wide, rounded as Grafana rounds: 30 days
     * give 30 minutes, a day gives a minute.
     */
    private static final int INTERVAL_30D = 1800;

    private static final int INTERVAL_24H = 60;

    private static final Path REPORT = Path.of("target", "benchmark", "boards.md");
    private static final Pattern STATEMENT_END = Pattern.compile(";\\s*\\n");

    @RegisterExtension static final ClickHouseServer CLICKHOUSE = new ClickHouseServer();

    /**
     * A git revision whose schema and boards are measured too, on a database of their own with the
     * same facts, each query right before its current version: both see the same machine load.
     */
    private static final String BASELINE = System.getProperty("bench.baseline", "");

    @Test
    void everyPanelOverThirtyDaysOfALargeStore() throws Exception {
        // The facts end at the last whole hour, so the views that count back from now()
        // (roi_30_60_90) see what the boards' range sees.
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
        String database = CLICKHOUSE.newDatabase();
        ClickHouseHttp http = new ClickHouseHttp(settings(database));
        Duration load = load(http, database, Migrations.bundled(), end);
        Map<String, String> sizes = sizes(http, database);
        Map<String, JsonNode> boards = Boards.boards();

        String baseDatabase = null;
        ClickHouseHttp baseHttp = null;
        Map<String, JsonNode> baseBoards = Map.of();
        if (!BASELINE.isEmpty()) {
            baseDatabase = CLICKHOUSE.newDatabase();
            baseHttp = new ClickHouseHttp(settings(baseDatabase));
            load(baseHttp, baseDatabase, baselineMigrations(), end);
            baseBoards = baselineBoards();
        }

        long to = end.getEpochSecond();
        GrafanaBoards.Range month = new GrafanaBoards.Range(to - DAYS * 86400L, to, INTERVAL_30D);
        GrafanaBoards.Range day = new GrafanaBoards.Range(to - 86400L, to, INTERVAL_24H);
        List<Row> rows = new ArrayList<>();
        for (JsonNode board : boards.values()) {
            String title = board.get("title").asText();
            JsonNode base = baseBoards.get(title);
            Map<String, String[]> queries = queries(board);
            Map<String, String[]> baseQueries = base == null ? Map.of() : queries(base);
            for (Map.Entry<String, String[]> query : queries.entrySet()) {
                Timing before = null;
                String[] baseQuery = baseQueries.get(query.getKey());
                if (baseQuery != null) {
                    before = time(baseHttp, baseDatabase, baseQuery, month, day);
                }
                Timing after = time(http, database, query.getValue(), month, day);
                rows.add(new Row(title, query.getKey(), before, after));
                // Written after every query: a run stopped half-way still leaves its numbers.
                write(report(rows, load, sizes, end));
            }
        }
        String report = report(rows, load, sizes, end);
        write(report);
        System.out.println(report);
        assertThat(rows).isNotEmpty();
    }

    private static void write(String report) throws IOException {
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, report, StandardCharsets.UTF_8);
    }

    /** Applies {@code migrations} to a new {@code database} and loads the facts; the load time. */
    private static Duration load(
            ClickHouseHttp http, String database, List<Migration> migrations, Instant end)
            throws IOException {
        new SchemaMigrator(http, database).apply(migrations);
        long start = System.nanoTime();
        for (String statement : facts(end)) {
            http.execute(database, statement);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * A board's queries by name: its store variable, then every panel target; each as the SQL and
     * the store variable's "All" value.
     */
    private static Map<String, String[]> queries(JsonNode board) {
        Map<String, String[]> queries = new LinkedHashMap<>();
        JsonNode store = board.get("templating").get("list").get(0);
        String all = store.get("allValue").asText();
        queries.put("$store", new String[] {store.get("query").asText(), all});
        for (JsonNode panel : board.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                String name = panel.get("title").asText();
                if (panel.get("targets").size() > 1) {
                    name += " (" + target.get("refId").asText() + ")";
                }
                queries.put(name, new String[] {target.get("rawSql").asText(), all});
            }
        }
        return queries;
    }

    private static List<Migration> baselineMigrations() throws IOException {
        List<Migration> migrations = new ArrayList<>();
        for (String file : git("ls-tree", "--name-only", BASELINE, "sql/clickhouse/").split("\n")) {
            if (file.endsWith(".sql")) {
                migrations.add(
                        Migration.of(
                                Path.of(file).getFileName().toString(),
                                git("show", BASELINE + ":" + file)));
            }
        }
        return migrations;
    }

    private static Map<String, JsonNode> baselineBoards() throws IOException {
        Map<String, JsonNode> boards = new LinkedHashMap<>();
        for (String file :
                git("ls-tree", "--name-only", BASELINE, "dashboards/json/").split("\n")) {
            if (file.endsWith(".json")) {
                JsonNode board = Boards.JSON.readTree(git("show", BASELINE + ":" + file));
                boards.put(board.get("title").asText(), board);
            }
        }
        return boards;
    }

    /** The output of a git command run at the top of the repository. */
    private static String git(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process process =
                new ProcessBuilder(command)
                        .directory(Boards.dashboards().getParent().toFile())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IOException("git " + String.join(" ", args) + ": " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: git " + String.join(" ", args), e);
        }
        return out;
    }

    /** Request timeout long enough for the load and for the slowest panel before any rollup. */
    private static ClickHouseSettings settings(String database) {
        Map<String, String> settings = new LinkedHashMap<>(CLICKHOUSE.settings(database));
        settings.put(ClickHouseOptions.REQUEST_TIMEOUT.key(), "10 min");
        return ClickHouseSettings.from(Configs.load(null, settings)).orElseThrow();
    }

    /** The generator's statements, its parameters filled in, comment lines left out. */
    private static List<String> facts(Instant end) throws IOException {
        String text;
        try (InputStream in =
                BoardsBenchmark.class.getResourceAsStream("/bench/boards-facts.sql")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        text =
                text.lines()
                        .filter(line -> !line.strip().startsWith("--"))
                        .collect(Collectors.joining("\n"))
                        .replace("{carts}", String.valueOf(CARTS))
                        .replace("{stores}", String.valueOf(STORES))
                        .replace("{days}", String.valueOf(DAYS))
                        .replace("{end}", String.valueOf(end.getEpochSecond()));
        return Arrays.stream(STATEMENT_END.split(text + "\n"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** Rows per table (every part, so rows written again count), to show the size measured. */
    private static Map<String, String> sizes(ClickHouseHttp http, String database) {
        Map<String, String> sizes = new LinkedHashMap<>();
        String body =
                http.execute(
                        database,
                        "SELECT table, sum(rows) FROM system.parts WHERE database = '"
                                + database
                                + "' AND active GROUP BY table ORDER BY table FORMAT"
                                + " TabSeparated");
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                String[] fields = line.split("\t");
                sizes.put(fields[0], fields[1]);
            }
        }
        return sizes;
    }

    /** A query before (null without a baseline) and now. */
    private record Row(String board, String query, Timing before, Timing after) {
        /** Whether both returned the same rows over both ranges; null without a baseline. */
        Boolean same() {
            return before == null
                    ? null
                    : before.monthRows().equals(after.monthRows())
                            && before.dayRows().equals(after.dayRows());
        }
    }

    /** Milliseconds over 30 days and 24 hours (negative: one run), and the rows, sorted. */
    private record Timing(long month, long day, List<String> monthRows, List<String> dayRows) {}

    private static Timing time(
            ClickHouseHttp http,
            String database,
            String[] query,
            GrafanaBoards.Range month,
            GrafanaBoards.Range day)
            throws IOException {
        List<String> monthRows = new ArrayList<>();
        List<String> dayRows = new ArrayList<>();
        long monthMillis =
                runs(http, database, Boards.expand(query[0], query[1], month), monthRows);
        long dayMillis = runs(http, database, Boards.expand(query[0], query[1], day), dayRows);
        return new Timing(monthMillis, dayMillis, monthRows, dayRows);
    }

    /**
     * Median wall-clock milliseconds of {@link #RUNS} runs, as Grafana waits for them, and rows. A
     * query whose first run takes longer than {@link #SINGLE_RUN_MILLIS} runs once (negative
     * milliseconds mark it): on a shared machine, three runs of every slow query of the baseline
     * would take hours.
     */
    private static long runs(ClickHouseHttp http, String database, String sql, List<String> rows)
            throws IOException {
        long[] millis = new long[RUNS];
        String body = "";
        int runs = RUNS;
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            body = http.execute(database, sql + "\nFORMAT JSON");
            millis[i] = (System.nanoTime() - start) / 1_000_000;
            if (i == 0 && millis[0] > SINGLE_RUN_MILLIS) {
                runs = 1;
                break;
            }
        }
        // Sorted: ties of an ORDER BY may come in any order.
        for (JsonNode row : Boards.JSON.readTree(body).get("data")) {
            rows.add(row.toString());
        }
        rows.sort(null);
        if (runs == 1) {
            return -millis[0];
        }
        Arrays.sort(millis);
        return millis[RUNS / 2];
    }

    /** A median, or a single run (negative) marked with a dagger. */
    private static String millis(long millis) {
        return millis < 0 ? (-millis) + " †" : String.valueOf(millis);
    }

    /** The 1, 5 and 15 minute load averages (Linux), or "?" elsewhere. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static String report(
            List<Row> rows, Duration load, Map<String, String> sizes, Instant end) {
        StringBuilder out = new StringBuilder();
        out.append("# Boards at scale\n\n");
        out.append(
                String.format(
                        Locale.ROOT,
                        "ClickHouse 18.16, %d abandoned carts over %d days across %d stores up to"
                                + " %s, loaded in %d s; `$store` = All; median of %d runs, ms;"
                                + " load average now %s (the machine is shared: compare runs of"
                                + " similar load).%s%n%n",
                        CARTS,
                        DAYS,
                        STORES,
                        end,
                        load.toSeconds(),
                        RUNS,
                        loadAverage(),
                        BASELINE.isEmpty()
                                ? ""
                                : " Before: the schema and boards of "
                                        + BASELINE
                                        + ", same facts in a database of their own, each query"
                                        + " run right before its current version."));
        out.append("| table | rows (every part) |\n|---|---:|\n");
        sizes.forEach(
                (table, count) ->
                        out.append("| ").append(table).append(" | ").append(count).append(" |\n"));
        out.append(
                "\n| board | query | 30 days before | 30 days | 24 h before | 24 h | rows (30 days)"
                        + " | same rows |\n|---|---|---:|---:|---:|---:|---:|---|\n");
        long[] totals = new long[4];
        long[] slowest = new long[2];
        int[] overSecond = new int[2];
        for (Row row : rows) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %s | %s | %s | %s | %d | %s |%n",
                            row.board(),
                            row.query(),
                            row.before() == null ? "" : millis(row.before().month()),
                            millis(row.after().month()),
                            row.before() == null ? "" : millis(row.before().day()),
                            millis(row.after().day()),
                            row.after().monthRows().size(),
                            row.same() == null ? "" : row.same() ? "yes" : "**no**"));
            for (int run = 0; run < 2; run++) {
                Timing times = run == 0 ? row.before() : row.after();
                if (times == null) {
                    continue;
                }
                long month = Math.abs(times.month());
                long day = Math.abs(times.day());
                totals[run * 2] += month;
                totals[run * 2 + 1] += day;
                slowest[run] = Math.max(slowest[run], Math.max(month, day));
                if (month >= 1000 || day >= 1000) {
                    overSecond[run]++;
                }
            }
        }
        out.append(
                String.format(
                        Locale.ROOT,
                        "| **all %d queries** | | **%d** | **%d** | **%d** | **%d** | | |%n%n",
                        rows.size(),
                        totals[0],
                        totals[2],
                        totals[1],
                        totals[3]));
        out.append(
                String.format(
                        Locale.ROOT,
                        "Slowest query: %d ms before, %d ms now; queries at 1 s or more (either"
                                + " range): %d before, %d now. †: one run (the first took over %d"
                                + " ms).%n",
                        slowest[0],
                        slowest[1],
                        overSecond[0],
                        overSecond[1],
                        SINGLE_RUN_MILLIS));
        return out.toString();
    }
}

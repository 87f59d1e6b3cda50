package io.cartrecovery.clickhouse;

import static io.cartrecovery.testing.Boards.alertRules;
import static io.cartrecovery.testing.Boards.boards;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.report.GrafanaBoards;
import io.cartrecovery.testing.BoardFacts;
import io.cartrecovery.testing.Boards;
import io.cartrecovery.testing.ClickHouseServer;
import io.cartrecovery.testing.CurrentClickHouse;
import io.cartrecovery.testing.TestClickHouse;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The schema and the boards on a current ClickHouse: every migration applies on ClickHouse 26.7
 * (chdb, {@link CurrentClickHouse}) with the real {@link SchemaMigrator}, and every panel's and
 * alert rule's SQL, and every table and view, returns the same rows there as on the 18.16 server
 * ({@link ClickHouseServer}) from the same facts, inserted by the same statements. Numbers are
 * compared to 12 significant digits: the versions print floats and quote 64-bit integers
 * differently in JSON.
 */
class CurrentClickHouseTest {
    @RegisterExtension static final ClickHouseServer LEGACY = new ClickHouseServer();
    @RegisterExtension static final CurrentClickHouse CURRENT = new CurrentClickHouse();

    private static final Instant A = BoardFacts.A;
    private static final Instant TO = BoardFacts.TO;

    /** An hour before the facts to two hours after; buckets of 5 minutes. */
    private static final GrafanaBoards.Range RANGE =
            new GrafanaBoards.Range(A.getEpochSecond() - 3600, TO.getEpochSecond(), 300);

    private static final MathContext DIGITS = new MathContext(12);
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

    /**
     * DateTime 0, the default a LEFT JOIN gives an unmatched row's times (cart_outcomes, task_sla),
     * as 18.16 and 26.7 print it.
     */
    private static final String LEGACY_ZERO_TIME = "0000-00-00 00:00:00";

    private static final String CURRENT_ZERO_TIME = "1970-01-01 00:00:00";

    @Test
    void everyMigrationAppliesOnceOnTheCurrentRelease() {
        assertThat(CURRENT.version()).startsWith("26.7.");
        String database = CURRENT.newDatabase();
        List<Migration> bundled = Migrations.bundled();
        SchemaMigrator migrator = migrator(CURRENT, database);

        SchemaMigrator.Outcome first = migrator.apply(bundled);
        SchemaMigrator.Outcome second = migrator.apply(bundled);

        assertThat(first.applied()).containsExactlyElementsOf(bundled);
        assertThat(second.applied()).isEmpty();
        assertThat(second.alreadyApplied()).isEqualTo(bundled.size());
        migrator.requireApplied(bundled);
        assertThat(CURRENT.rows(database, "SELECT count() AS n FROM schema_migrations"))
                .containsExactly(Map.of("n", String.valueOf(bundled.size())));
    }

    @Test
    void everyBoardQueryTableAndViewReturnsTheSameRowsOnBothReleases() throws IOException {
        String legacy = LEGACY.newDatabase();
        String current = CURRENT.newDatabase();
        migrator(LEGACY, legacy).apply(Migrations.bundled());
        migrator(CURRENT, current).apply(Migrations.bundled());
        for (String statement : BoardFacts.facts()) {
            LEGACY.execute(legacy, statement);
            CURRENT.execute(current, statement);
        }

        // Same tables and views with the same columns and types (their order: SELECT * below).
        String columns =
                "SELECT table, name, type FROM system.columns WHERE database = currentDatabase()"
                        + " ORDER BY table, name";
        assertThat(LEGACY.rows(legacy, columns)).isNotEmpty();
        assertThat(CURRENT.rows(current, columns)).isEqualTo(LEGACY.rows(legacy, columns));

        Map<String, String> queries = queries(legacy);
        List<String> failures = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        queries.forEach(
                (name, sql) -> {
                    List<String> expected;
                    List<String> actual;
                    try {
                        expected = rows(LEGACY, legacy, sql);
                    } catch (RuntimeException e) {
                        failures.add(name + " on 18.16: " + e.getMessage() + "\n" + sql);
                        return;
                    }
                    try {
                        actual = rows(CURRENT, current, sql);
                    } catch (RuntimeException e) {
                        failures.add(name + " on 26.7: " + e.getMessage() + "\n" + sql);
                        return;
                    }
                    if (!actual.equals(expected)) {
                        failures.add(
                                name
                                        + ": 18.16 "
                                        + expected
                                        + "\n  but 26.7 "
                                        + actual
                                        + "\n"
                                        + sql);
                    }
                    if (expected.isEmpty()) {
                        empty.add(name);
                    }
                });

        assertThat(queries).hasSizeGreaterThan(50);
        assertThat(failures).as("queries refused or answered differently").isEmpty();
        // Every query has facts to show: a panel that agrees only on "no rows" proves little.
        assertThat(empty).as("queries without rows").isEmpty();
    }

    private static SchemaMigrator migrator(TestClickHouse clickHouse, String database) {
        return new SchemaMigrator(
                new ClickHouseHttp(clickHouse.clickHouseSettings(database)), database);
    }

    /**
     * Every board's store variable and panel target (for two stores and for "All"), every alert
     * rule, and every table and view of the schema in full, by name.
     */
    private static Map<String, String> queries(String legacyDatabase) throws IOException {
        Map<String, String> queries = new TreeMap<>();
        for (JsonNode board : boards().values()) {
            JsonNode store = board.get("templating").get("list").get(0);
            String title = board.get("title").asText();
            queries.put(title + " / $store", store.get("query").asText());
            for (JsonNode panel : board.get("panels")) {
                for (JsonNode target : panel.get("targets")) {
                    String name =
                            title
                                    + " / "
                                    + panel.get("title").asText()
                                    + " / "
                                    + target.get("refId").asText();
                    String sql = target.get("rawSql").asText();
                    queries.put(
                            name + " / two stores", Boards.expand(sql, "'shop-1','shop-2'", RANGE));
                    queries.put(
                            name + " / All",
                            Boards.expand(sql, store.get("allValue").asText(), RANGE));
                }
            }
        }
        for (JsonNode rule : alertRules()) {
            for (JsonNode query : rule.get("data")) {
                if (query.get("model").has("rawSql")) {
                    // Over the rule's own range, ending where the boards' does.
                    long seconds = query.get("relativeTimeRange").get("from").asLong();
                    queries.put(
                            "alert " + rule.get("title").asText(),
                            Boards.expand(
                                    query.get("model").get("rawSql").asText(),
                                    null,
                                    new GrafanaBoards.Range(RANGE.to() - seconds, RANGE.to(), 60)));
                }
            }
        }
        // Tables with FINAL: their parts merge (and 26.7's replace duplicates when written) at
        // times of their own, so unmerged rows differ; merged, they must not. A materialized
        // view holds no rows of its own: its target table is compared.
        for (Map<String, String> table :
                LEGACY.rows(
                        legacyDatabase,
                        "SELECT name, engine FROM system.tables WHERE database = currentDatabase()"
                                + " AND name != 'schema_migrations'"
                                + " AND engine != 'MaterializedView'")) {
            boolean view = table.get("engine").equals("View");
            queries.put(
                    (view ? "view " : "table ") + table.get("name"),
                    "SELECT * FROM " + table.get("name") + (view ? "" : " FINAL"));
        }
        return queries;
    }

    /**
     * A query's rows, {@code FORMAT JSON}, each as its columns in order with numbers to 12
     * significant digits (18.16 quotes UInt64 in JSON, 26.7 does not), sorted: ties of an ORDER BY
     * may come in any order.
     */
    private static List<String> rows(TestClickHouse clickHouse, String database, String sql) {
        List<String> rows = new ArrayList<>();
        for (JsonNode row : Boards.query(clickHouse, database, sql)) {
            Map<String, String> values = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> field : row.properties()) {
                values.put(field.getKey(), canonical(field.getValue()));
            }
            rows.add(values.toString());
        }
        rows.sort(null);
        return rows;
    }

    private static String canonical(JsonNode value) {
        if (value.isNull()) {
            return "null";
        }
        String text = value.asText();
        if (text.equals(LEGACY_ZERO_TIME)) {
            return CURRENT_ZERO_TIME;
        }
        if (!(value.isNumber() || NUMBER.matcher(text).matches())) {
            return value.isTextual() ? text : value.toString();
        }
        return new BigDecimal(text).round(DIGITS).stripTrailingZeros().toPlainString();
    }
}

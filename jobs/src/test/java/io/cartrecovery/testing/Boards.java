package io.cartrecovery.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cartrecovery.report.GrafanaBoards;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The Grafana boards of {@code dashboards/} as the tests run them without Grafana: the board and
 * alert-rule files, and their SQL with the ClickHouse plugin's macros expanded as the plugin
 * expands them, run over ClickHouse's HTTP interface.
 */
public final class Boards {
    public static final String DATASOURCE_UID = "cart-recovery-clickhouse";
    public static final String LIVE_BOARD = "Live Recovery Board";
    public static final List<String> LIVE_STATS =
            List.of(
                    "Abandoned carts",
                    "Contactable carts",
                    "Abandoned value",
                    "Recovered carts",
                    "Recovered revenue",
                    "Recovery rate",
                    "Contacted within 30 min",
                    "Median time to first contact",
                    "Incremental lift vs holdout");

    /** Decimals read as BigDecimal: money is compared exactly. */
    public static final ObjectMapper JSON = GrafanaBoards.JSON;

    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Boards() {}

    /**
     * What the ClickHouse plugin sends for {@code sql} ({@link GrafanaBoards#expand}, the main
     * code's expansion, which the report uses too); here also with {@code stores} null, no variable
     * may be left over.
     */
    public static String expand(String sql, String stores, GrafanaBoards.Range range) {
        String out = GrafanaBoards.expand(sql, stores, range);
        assertThat(out).as("every macro and variable expanded").doesNotContain("$");
        return out;
    }

    /** Rows of a query, {@code FORMAT JSON}, decimals as BigDecimal. */
    public static List<JsonNode> query(TestClickHouse clickHouse, String database, String sql) {
        try {
            JsonNode body = JSON.readTree(clickHouse.execute(database, sql + "\nFORMAT JSON"));
            return StreamSupport.stream(body.get("data").spliterator(), false).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows of a Live Recovery Board stat, its first target, for {@code stores}. */
    public static List<JsonNode> stat(
            TestClickHouse clickHouse,
            String database,
            String title,
            String stores,
            GrafanaBoards.Range range)
            throws IOException {
        for (JsonNode panel : boards().get(LIVE_BOARD).get("panels")) {
            if (panel.get("title").asText().equals(title)
                    && panel.get("type").asText().equals("stat")) {
                return query(
                        clickHouse,
                        database,
                        expand(panel.get("targets").get(0).get("rawSql").asText(), stores, range));
            }
        }
        throw new AssertionError("no stat panel " + title);
    }

    public static Path dashboards() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("dashboards/provisioning"))) {
                return p.resolve("dashboards");
            }
        }
        throw new AssertionError("no dashboards/ above " + Path.of("").toAbsolutePath());
    }

    /** Every board JSON by title. */
    public static Map<String, JsonNode> boards() throws IOException {
        return GrafanaBoards.load(dashboards().resolve("json")).boards();
    }

    public static List<JsonNode> alertRules() throws IOException {
        List<JsonNode> rules = new ArrayList<>();
        try (Stream<Path> files = Files.list(dashboards().resolve("provisioning/alerting"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode group : YAML.readTree(file.toFile()).get("groups")) {
                    group.get("rules").forEach(rules::add);
                }
            }
        }
        return rules;
    }
}

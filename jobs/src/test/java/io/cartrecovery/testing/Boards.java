package io.cartrecovery.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
                    "Abandoned value",
                    "Recovered carts",
                    "Recovered revenue",
                    "Recovery rate",
                    "Contacted within 30 min",
                    "Median time to first contact",
                    "Incremental lift vs holdout");

    /** Decimals read as BigDecimal: money is compared exactly. */
    public static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern TIME_FILTER = Pattern.compile("\\$__timeFilter\\(([^)]+)\\)");

    /** A board's time range and interval, epoch seconds, as the plugin receives them. */
    public record Range(long from, long to, int intervalSeconds) {}

    private Boards() {}

    /**
     * What the ClickHouse plugin sends for {@code sql}: macros in epoch seconds, the {@code $store}
     * variable as Grafana formats {@code ${store:singlequote}} (null: left as it is).
     */
    public static String expand(String sql, String stores, Range range) {
        Matcher filter = TIME_FILTER.matcher(sql);
        String out =
                filter.replaceAll(
                        m -> {
                            String column = m.group(1).trim();
                            return Matcher.quoteReplacement(
                                    column
                                            + " >= toDateTime("
                                            + range.from()
                                            + ") AND "
                                            + column
                                            + " <= toDateTime("
                                            + range.to()
                                            + ")");
                        });
        out =
                out.replace("$__fromTime", "toDateTime(" + range.from() + ")")
                        .replace("$__toTime", "toDateTime(" + range.to() + ")")
                        .replace("$__interval_s", String.valueOf(range.intervalSeconds()));
        if (stores != null) {
            out = out.replace("${store:singlequote}", stores);
        }
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
            TestClickHouse clickHouse, String database, String title, String stores, Range range)
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
        Map<String, JsonNode> boards = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dashboards().resolve("json"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode board = JSON.readTree(file.toFile());
                boards.put(board.get("title").asText(), board);
            }
        }
        return boards;
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

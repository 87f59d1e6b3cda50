package io.cartrecovery.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Grafana boards of {@code dashboards/json/} read as data: their panels' SQL, with the
 * ClickHouse plugin's macros and the {@code $store} variable expanded as the plugin and Grafana
 * expand them. The one place that does so: the report runs the boards' own queries (so the two
 * never drift) and the tests run them without Grafana.
 */
public final class GrafanaBoards {
    /** Decimals read as BigDecimal: money stays exact. */
    public static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static final Pattern TIME_FILTER = Pattern.compile("\\$__timeFilter\\(([^)]+)\\)");

    /** A board's time range and interval, epoch seconds, as the plugin receives them. */
    public record Range(long from, long to, int intervalSeconds) {}

    private final Path dir;
    private final Map<String, JsonNode> boards;

    private GrafanaBoards(Path dir, Map<String, JsonNode> boards) {
        this.dir = dir;
        this.boards = boards;
    }

    /** Every {@code *.json} board of {@code dir}, by title. */
    public static GrafanaBoards load(Path dir) {
        Map<String, JsonNode> boards = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode board = JSON.readTree(file.toFile());
                boards.put(board.path("title").asText(file.getFileName().toString()), board);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the boards in " + dir, e);
        }
        return new GrafanaBoards(dir, boards);
    }

    /**
     * The boards' folder of this checkout: {@code dashboards/json} under the {@code
     * cartrecovery.home} system property ({@code bin/cart-recovery} sets it), else the first one in
     * the working directory or above it.
     */
    public static Optional<Path> find() {
        String home = System.getProperty("cartrecovery.home");
        if (home != null && Files.isDirectory(Path.of(home, "dashboards", "json"))) {
            return Optional.of(Path.of(home, "dashboards", "json").toAbsolutePath());
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("dashboards/json"))
                    && Files.isDirectory(p.resolve("dashboards/provisioning"))) {
                return Optional.of(p.resolve("dashboards/json"));
            }
        }
        return Optional.empty();
    }

    public Path dir() {
        return dir;
    }

    /** Every board by title, in file order. */
    public Map<String, JsonNode> boards() {
        return boards;
    }

    /** A panel of a board by their titles; fails naming both when there is none. */
    public JsonNode panel(String board, String title) {
        JsonNode found = boards.get(board);
        if (found == null) {
            throw new IllegalArgumentException("no board '" + board + "' in " + dir);
        }
        for (JsonNode panel : found.path("panels")) {
            if (panel.path("title").asText().equals(title)) {
                return panel;
            }
        }
        throw new IllegalArgumentException("no panel '" + title + "' on '" + board + "' in " + dir);
    }

    /** The raw SQL of each target of a panel, in order. */
    public static List<String> targets(JsonNode panel) {
        List<String> sql = new ArrayList<>();
        for (JsonNode target : panel.path("targets")) {
            sql.add(target.path("rawSql").asText());
        }
        return sql;
    }

    /** What the board's {@code $store} variable stands for when "All" is selected. */
    public String allStores(String board) {
        for (JsonNode variable : boards.get(board).path("templating").path("list")) {
            if (variable.path("name").asText().equals("store")) {
                return variable.path("allValue").asText();
            }
        }
        throw new IllegalArgumentException("board '" + board + "' has no $store variable");
    }

    /**
     * Stores as Grafana formats a multi-value variable with {@code :singlequote}: each value in
     * single quotes, quotes and backslashes escaped, comma-separated.
     */
    public static String singleQuoted(List<String> stores) {
        return String.join(
                ",",
                stores.stream()
                        .map(s -> "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'")
                        .toList());
    }

    /**
     * What the ClickHouse plugin sends for {@code sql}: {@code $__timeFilter(c)}, {@code
     * $__fromTime}, {@code $__toTime} in epoch seconds, {@code $__interval_s} in seconds, and
     * {@code ${store:singlequote}} as {@code stores} (null: left as it is).
     *
     * @throws IllegalArgumentException when a macro or variable is left over
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
        if (out.replace("${store:singlequote}", "").contains("$")) {
            throw new IllegalArgumentException(
                    "a macro or variable this expansion does not know: " + out);
        }
        return stores == null ? out : out.replace("${store:singlequote}", stores);
    }
}

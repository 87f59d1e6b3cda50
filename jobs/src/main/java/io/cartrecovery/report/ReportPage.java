package io.cartrecovery.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrecovery.report.LeadershipReport.Display;
import io.cartrecovery.report.LeadershipReport.Section;
import io.cartrecovery.report.LeadershipReport.Shown;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The report's HTML: numbers and tables written here, so they read without JavaScript and print as
 * they are; charts drawn in the browser by Chart.js from the same rows, inlined with the data so
 * the file needs nothing else. Every value carries its raw form in {@code data-value}.
 */
final class ReportPage {
    static final String CHART_JS = "META-INF/resources/webjars/chart.js/%s/dist/chart.umd.min.js";
    private static final DateTimeFormatter CLICKHOUSE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final LeadershipReport.Scope scope;
    private final GrafanaBoards.Range range;
    private final String database;
    private final Path boardsDir;
    private final Instant generatedAt;
    private final StringBuilder html = new StringBuilder();
    private final ArrayNode charts = GrafanaBoards.JSON.createArrayNode();

    ReportPage(
            LeadershipReport.Scope scope,
            GrafanaBoards.Range range,
            String database,
            Path boardsDir,
            Instant generatedAt) {
        this.scope = scope;
        this.range = range;
        this.database = database;
        this.boardsDir = boardsDir;
        this.generatedAt = generatedAt;
    }

    String render(List<List<Shown>> sections) {
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append(
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Cart Recovery report ")
                .append(esc(UTC.format(scope.from())))
                .append(" to ")
                .append(esc(UTC.format(scope.to())))
                .append("</title>\n<style>\n")
                .append(STYLE)
                .append(
                        "</style>\n</head>\n<body>\n<header>\n<h1>Cart Recovery: leadership report</h1>\n")
                .append("<p class=\"scope\"><span id=\"range-from\">")
                .append(esc(UTC.format(scope.from())))
                .append("</span> to <span id=\"range-to\">")
                .append(esc(UTC.format(scope.to())))
                .append("</span> · ")
                .append(
                        scope.stores().isEmpty()
                                ? "all stores"
                                : "stores " + esc(String.join(", ", scope.stores())))
                .append("</p>\n<p class=\"source\">Generated ")
                .append(esc(UTC.format(generatedAt)))
                .append(" from ClickHouse database <code>")
                .append(esc(database))
                .append("</code> with the Grafana boards' own queries (")
                .append(esc(shortName(boardsDir)))
                .append("); time series per ")
                .append(esc(Cells.duration(BigDecimal.valueOf(range.intervalSeconds()))))
                .append(". – means no data.</p>\n</header>\n<main>\n");
        for (int s = 0; s < sections.size(); s++) {
            Section section = LeadershipReport.SECTIONS.get(s);
            html.append("<section id=\"")
                    .append(section.id())
                    .append("\">\n<h2>")
                    .append(esc(section.title()))
                    .append("</h2>\n<p class=\"intro\">")
                    .append(esc(section.intro()))
                    .append("</p>\n");
            boolean stats = false;
            for (Shown shown : sections.get(s)) {
                boolean stat = shown.item().display() == Display.STAT;
                if (stat && !stats) {
                    html.append("<div class=\"stats\">\n");
                } else if (!stat && stats) {
                    html.append("</div>\n");
                }
                stats = stat;
                switch (shown.item().display()) {
                    case STAT -> stat(shown);
                    case TABLE -> table(shown, true);
                    case BARS -> bars(shown);
                    case LINES -> lines(shown);
                    default -> throw new IllegalStateException();
                }
            }
            if (stats) {
                html.append("</div>\n");
            }
            html.append("</section>\n");
        }
        html.append("</main>\n<footer>Charts: Chart.js ")
                .append(esc(chartJsVersion()))
                .append(" (MIT licence), inlined.</footer>\n");
        try {
            html.append("<script type=\"application/json\" id=\"charts\">")
                    .append(scriptSafe(GrafanaBoards.JSON.writeValueAsString(charts)))
                    .append("</script>\n");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        html.append("<script>\n")
                .append(scriptSafe(chartJs()))
                .append("\n</script>\n<script>\n")
                .append(DRAW)
                .append("</script>\n</body>\n</html>\n");
        return html.toString();
    }

    /** The boards' folder by its last two names ({@code dashboards/json}): no local path. */
    private static String shortName(Path dir) {
        int names = dir.getNameCount();
        return names == 0 ? dir.toString() : dir.subpath(Math.max(0, names - 2), names).toString();
    }

    private void stat(Shown shown) {
        PanelRows rows = shown.targets().get(0);
        html.append("<div class=\"stat\" data-panel=\"")
                .append(esc(shown.item().panel()))
                .append("\">\n<h3>")
                .append(esc(shown.item().panel()))
                .append("</h3>\n");
        if (rows.rows().isEmpty()) {
            html.append("<p class=\"value none\">").append(Cells.NO_VALUE).append("</p>\n");
        }
        PanelRows.Column key =
                rows.columns().stream().filter(c -> !c.numeric()).findFirst().orElse(null);
        PanelRows.Column value =
                rows.columns().stream().filter(PanelRows.Column::numeric).findFirst().orElseThrow();
        Cells.Kind kind = Cells.Kind.of(value, shown.unit());
        for (JsonNode row : rows.rows()) {
            html.append("<p class=\"value\" data-column=\"").append(esc(value.name())).append('"');
            if (key != null) {
                html.append(" data-key=\"").append(esc(row.path(key.name()).asText())).append('"');
            }
            html.append(" data-value=\"")
                    .append(esc(row.path(value.name()).asText()))
                    .append("\">");
            if (key != null) {
                html.append("<span class=\"key\">")
                        .append(esc(row.path(key.name()).asText()))
                        .append("</span> ");
            }
            html.append("<span class=\"number\">")
                    .append(esc(Cells.format(row.get(value.name()), kind)))
                    .append("</span></p>\n");
        }
        html.append("</div>\n");
    }

    private void table(Shown shown, boolean titled) {
        html.append("<div class=\"panel\" data-panel=\"")
                .append(esc(shown.item().panel()))
                .append("\">\n");
        if (titled) {
            html.append("<h3>").append(esc(shown.item().panel())).append("</h3>\n");
        }
        for (PanelRows rows : shown.targets()) {
            rowsTable(rows, shown.unit());
        }
        html.append("</div>\n");
    }

    private void rowsTable(PanelRows rows, String unit) {
        if (rows.rows().isEmpty()) {
            html.append("<p class=\"none\">No data in the range.</p>\n");
            return;
        }
        html.append("<table>\n<thead><tr>");
        for (PanelRows.Column column : rows.columns()) {
            html.append("<th data-column=\"")
                    .append(esc(column.name()))
                    .append(column.numeric() ? "\" class=\"num\">" : "\">")
                    .append(esc(label(column.name())))
                    .append("</th>");
        }
        html.append("</tr></thead>\n<tbody>\n");
        for (JsonNode row : rows.rows()) {
            html.append("<tr>");
            for (PanelRows.Column column : rows.columns()) {
                JsonNode value = row.get(column.name());
                html.append("<td data-column=\"").append(esc(column.name())).append('"');
                if (column.numeric()) {
                    html.append(" class=\"num\"");
                }
                html.append(" data-value=\"")
                        .append(esc(value == null || value.isNull() ? "" : value.asText()))
                        .append("\">")
                        .append(esc(Cells.format(value, Cells.Kind.of(column, unit))))
                        .append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n");
    }

    private void bars(Shown shown) {
        PanelRows rows = shown.targets().get(0);
        PanelRows.Column label =
                rows.columns().stream()
                        .filter(c -> !c.numeric())
                        .findFirst()
                        .orElse(rows.columns().get(0));
        ObjectNode chart = chart(shown, "bar");
        ArrayNode labels = chart.putArray("labels");
        for (JsonNode row : rows.rows()) {
            String text = row.path(label.name()).asText();
            labels.add(label.name().equals("days") ? text + " days" : text);
        }
        ArrayNode datasets = chart.putArray("datasets");
        List<String> plot =
                shown.item().plot().isEmpty()
                        ? rows.columns().stream()
                                .filter(PanelRows.Column::numeric)
                                .filter(c -> c != label)
                                .map(PanelRows.Column::name)
                                .toList()
                        : shown.item().plot();
        for (String name : plot) {
            ObjectNode dataset = datasets.addObject();
            dataset.put("label", label(name));
            ArrayNode data = dataset.putArray("data");
            rows.rows().forEach(row -> data.add(number(row.get(name))));
            chart.put("format", format(Cells.Kind.of(rows.column(name), shown.unit())));
        }
        chart.put("horizontal", rows.rows().size() > 6);
        figure(shown, chart, rows.rows().isEmpty());
    }

    /**
     * Lines on a time axis that spans the whole range, so quiet intervals take their share of it; a
     * point per row and value, one series per value column and text key (currency, channel).
     */
    private void lines(Shown shown) {
        ObjectNode chart = chart(shown, "line");
        // The axis starts and ends on whole steps, so its labels read 08:00, 09:00, not 08:23.
        long step = timeStep(range.to() - range.from());
        chart.put("xmin", Math.floorDiv(range.from(), step) * step * 1000);
        chart.put("xmax", -Math.floorDiv(-range.to(), step) * step * 1000);
        chart.put("xstep", step * 1000);
        ArrayNode datasets = chart.putArray("datasets");
        String format = null;
        boolean empty = true;
        for (PanelRows rows : shown.targets()) {
            List<PanelRows.Column> keys =
                    rows.columns().stream().filter(c -> !c.numeric() && !c.time()).toList();
            List<PanelRows.Column> values =
                    rows.columns().stream().filter(PanelRows.Column::numeric).toList();
            Map<String, ArrayNode> series = new LinkedHashMap<>();
            for (JsonNode row : rows.rows()) {
                empty = false;
                long x =
                        LocalDateTime.parse(row.path("time").asText(), CLICKHOUSE_TIME)
                                .toInstant(ZoneOffset.UTC)
                                .toEpochMilli();
                String key =
                        String.join(
                                " ", keys.stream().map(k -> row.path(k.name()).asText()).toList());
                for (PanelRows.Column value : values) {
                    String name =
                            key.isEmpty()
                                    ? label(value.name())
                                    : values.size() == 1 ? key : key + " " + label(value.name());
                    JsonNode y = number(row.get(value.name()));
                    if (!y.isNull()) {
                        ObjectNode point =
                                series.computeIfAbsent(
                                                name, n -> GrafanaBoards.JSON.createArrayNode())
                                        .addObject();
                        point.put("x", x);
                        point.set("y", y);
                    }
                }
            }
            for (PanelRows.Column value : values) {
                format = format(Cells.Kind.of(value, shown.unit()));
            }
            series.forEach(
                    (name, points) -> {
                        ObjectNode dataset = datasets.addObject();
                        dataset.put("label", name);
                        dataset.set("data", points);
                    });
        }
        chart.put("format", format == null ? "number" : format);
        figure(shown, chart, empty);
    }

    /** Whole minutes, hours or days between the time axis' labels, about eight of them. */
    static long timeStep(long seconds) {
        long[] steps = {300, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800};
        for (long step : steps) {
            if (seconds / step <= 8) {
                return step;
            }
        }
        return 2_592_000;
    }

    private ObjectNode chart(Shown shown, String type) {
        ObjectNode chart = charts.addObject();
        chart.put("id", "chart-" + charts.size());
        chart.put("type", type);
        chart.put("title", shown.item().panel());
        return chart;
    }

    private void figure(Shown shown, ObjectNode chart, boolean empty) {
        html.append("<figure class=\"chart\" data-panel=\"")
                .append(esc(shown.item().panel()))
                .append("\">\n<figcaption>")
                .append(esc(shown.item().panel()))
                .append("</figcaption>\n");
        if (empty) {
            charts.remove(charts.size() - 1);
            html.append("<p class=\"none\">No data in the range.</p>\n</figure>\n");
            return;
        }
        html.append("<div class=\"canvas-box\"><canvas id=\"")
                .append(chart.get("id").asText())
                .append("\" role=\"img\" aria-label=\"")
                .append(esc(shown.item().panel()))
                .append("\"></canvas></div>\n<details><summary>The numbers</summary>\n");
        table(shown, false);
        html.append("</details>\n</figure>\n");
    }

    private static JsonNode number(JsonNode value) {
        if (value == null || value.isNull()) {
            return GrafanaBoards.JSON.nullNode();
        }
        try {
            return GrafanaBoards.JSON
                    .getNodeFactory()
                    .numberNode(Double.parseDouble(value.asText()));
        } catch (NumberFormatException e) {
            return GrafanaBoards.JSON.nullNode();
        }
    }

    private static String format(Cells.Kind kind) {
        return switch (kind) {
            case PERCENT -> "percent";
            case SECONDS -> "seconds";
            case COUNT -> "count";
            default -> "number";
        };
    }

    /** A column name as a heading: {@code abandoned_carts} reads "Abandoned carts". */
    static String label(String column) {
        String words = column.replace("seconds", "time").replace('_', ' ').strip();
        return words.isEmpty()
                ? column
                : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    static String chartJsVersion() {
        try (InputStream in =
                ReportPage.class.getResourceAsStream(
                        "/META-INF/maven/org.webjars.npm/chart.js/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("Chart.js is not on the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Chart.js's UMD build, without its source-map line (the map is not inlined). */
    static String chartJs() {
        String resource = "/" + CHART_JS.formatted(chartJsVersion());
        try (InputStream in = ReportPage.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replaceAll("(?m)^//# sourceMappingURL=.*$", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Text inside a script element must not close it. */
    private static String scriptSafe(String text) {
        return text.replace("</", "<\\/");
    }

    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String STYLE =
            """
            :root { --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --accent: #2563eb; }
            * { box-sizing: border-box; }
            body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
                   color: var(--ink); margin: 0 auto; padding: 24px; max-width: 1100px; }
            h1 { font-size: 24px; margin: 0 0 4px; }
            h2 { font-size: 19px; border-bottom: 2px solid var(--line); padding-bottom: 4px;
                 margin-top: 32px; }
            h3, figcaption { font-size: 14px; font-weight: 600; margin: 0 0 6px; }
            h2, .intro, h3, figcaption { break-after: avoid-page; }
            .scope { font-size: 16px; margin: 0; }
            .source, .intro, footer, .none { color: var(--muted); }
            .stats { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr));
                     gap: 12px; }
            .stat { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px;
                    break-inside: avoid; }
            .stat .value { font-size: 22px; font-weight: 600; margin: 2px 0; }
            .stat .value .key { font-size: 13px; color: var(--muted); font-weight: 400; }
            .panel, figure { margin: 16px 0; break-inside: avoid; }
            .canvas-box { position: relative; height: 260px; }
            table { border-collapse: collapse; width: 100%; font-size: 13px; }
            th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; }
            th { background: #f5f7fa; }
            .num { text-align: right; font-variant-numeric: tabular-nums; }
            details summary { color: var(--muted); cursor: pointer; margin-top: 4px; }
            footer { margin-top: 32px; font-size: 12px; }
            @page { size: A4; margin: 12mm; }
            @media print {
              body { padding: 0; max-width: none; }
              canvas { max-width: 100% !important; height: auto !important; }
              section { break-before: auto; }
            }
            """;

    /**
     * Draws every chart, without animation (a printout takes the first frame), then marks the body
     * with how many it drew: {@code data-charts-drawn}.
     */
    private static final String DRAW =
            """
            (function () {
              var specs = JSON.parse(document.getElementById('charts').textContent);
              var colours = ['#2563eb', '#16a34a', '#dc2626', '#d97706', '#7c3aed', '#0891b2',
                             '#db2777', '#4b5563'];
              function tick(format) {
                return function (value) {
                  if (format === 'percent') { return (value * 100).toFixed(0) + '%'; }
                  if (format === 'minutes') { return value.toLocaleString('en') + ' min'; }
                  if (format === 'seconds') {
                    var s = Math.round(value);
                    return s >= 3600 ? Math.floor(s / 3600) + ' h ' + Math.floor(s % 3600 / 60) + ' min'
                      : s >= 60 ? Math.floor(s / 60) + ' min ' + (s % 60) + ' s' : s + ' s';
                  }
                  return value.toLocaleString('en');
                };
              }
              function time(ms) {
                return new Date(ms).toISOString().substring(5, 16).replace('T', ' ');
              }
              var drawn = [];
              specs.forEach(function (spec) {
                var format = tick(spec.format);
                // Durations are drawn in minutes, so the axis steps by whole minutes; the
                // tooltips still say minutes and seconds.
                var minutes = spec.format === 'seconds';
                var axis = minutes ? tick('minutes') : format;
                var scale = function (d) {
                  return !minutes ? d.data : d.data.map(function (p) {
                    return typeof p === 'object' && p !== null ? { x: p.x, y: p.y / 60 }
                      : p === null ? null : p / 60;
                  });
                };
                var chart = new Chart(document.getElementById(spec.id), {
                  type: spec.type,
                  data: {
                    labels: spec.labels || [],
                    datasets: spec.datasets.map(function (d, i) {
                      return { label: d.label, data: scale(d), spanGaps: true, pointRadius: 2,
                               borderColor: colours[i % colours.length],
                               backgroundColor: colours[i % colours.length] };
                    })
                  },
                  options: {
                    animation: false, responsive: true, maintainAspectRatio: false,
                    devicePixelRatio: 2, indexAxis: spec.horizontal ? 'y' : 'x',
                    plugins: {
                      legend: { display: spec.datasets.length > 1, position: 'bottom' },
                      tooltip: { callbacks: {
                        title: function (items) {
                          return spec.type === 'line' && items.length ? time(items[0].parsed.x) + ' UTC'
                            : items.length ? items[0].label : '';
                        },
                        label: function (c) {
                          var v = spec.horizontal ? c.parsed.x : c.parsed.y;
                          return c.dataset.label + ': ' + format(minutes ? v * 60 : v);
                        } } }
                    },
                    scales: spec.horizontal
                      ? { x: { beginAtZero: true, ticks: { callback: axis,
                                 precision: spec.format === 'count' ? 0 : undefined } } }
                      : spec.type === 'line'
                      ? { y: { beginAtZero: true, ticks: { callback: axis,
                                 precision: spec.format === 'count' ? 0 : undefined } },
                          x: { type: 'linear', min: spec.xmin, max: spec.xmax,
                               ticks: { callback: time, stepSize: spec.xstep, maxRotation: 0,
                                        autoSkip: true } } }
                      : { y: { beginAtZero: true, ticks: { callback: axis,
                                 precision: spec.format === 'count' ? 0 : undefined } } }
                  }
                });
                chart.canvas.setAttribute('data-points', String(chart.data.datasets.reduce(
                  function (n, d) {
                    return n + d.data.filter(function (v) {
                      return v !== null && (typeof v !== 'object' || v.y !== null);
                    }).length;
                  }, 0)));
                drawn.push(chart);
              });
              window.addEventListener('beforeprint', function () {
                drawn.forEach(function (c) { c.resize(); });
              });
              document.body.setAttribute('data-charts-drawn', String(drawn.length));
            })();
            """;
}

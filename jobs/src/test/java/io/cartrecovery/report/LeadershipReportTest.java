package io.cartrecovery.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.cli.JobCli;
import io.cartrecovery.clickhouse.ClickHouseHttp;
import io.cartrecovery.clickhouse.Migrations;
import io.cartrecovery.clickhouse.SchemaMigrator;
import io.cartrecovery.report.LeadershipReport.Display;
import io.cartrecovery.report.LeadershipReport.Item;
import io.cartrecovery.report.LeadershipReport.Section;
import io.cartrecovery.testing.BoardFacts;
import io.cartrecovery.testing.Boards;
import io.cartrecovery.testing.ClickHouseServer;
import io.cartrecovery.testing.ConsoleCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leadership report end to end: known facts in a real ClickHouse 18.16, {@code cart-recovery
 * report} writes the page and the PDF, headless Chromium (Debian's {@code chromium}) runs the
 * page's scripts, and every number the page then shows equals what the board panel's SQL, run
 * directly, returns; every chart is drawn with as many points as its rows hold.
 */
class LeadershipReportTest {
    @RegisterExtension static final ClickHouseServer CLICKHOUSE = new ClickHouseServer();
    @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

    /** The facts' range: from an hour before them to two hours after their clock. */
    private static final Instant FROM = BoardFacts.A.minus(Duration.ofHours(1));

    private static final Instant TO = BoardFacts.TO;

    private static final Pattern DURATION =
            Pattern.compile("(-?)(?:(\\d+) h )?(?:(\\d+) min)?(?: ?(\\d+) s)?");

    @TempDir Path dir;

    @Test
    void everyNumberOnTheRenderedPageEqualsThePanelsSqlAndThePdfIsPrinted() throws Exception {
        Path chromium = chromium();
        String database = CLICKHOUSE.newDatabase();
        new SchemaMigrator(new ClickHouseHttp(CLICKHOUSE.clickHouseSettings(database)), database)
                .apply(Migrations.bundled());
        for (String statement : BoardFacts.facts()) {
            CLICKHOUSE.execute(database, statement);
        }
        Path out = dir.resolve("reports/december");

        int exit =
                JobCli.execute(
                        "report",
                        "--from",
                        FROM.toString(),
                        "--to",
                        TO.toString(),
                        "--out",
                        out.toString(),
                        "--clickhouse-url",
                        CLICKHOUSE.url(),
                        "-D",
                        "clickhouse.database=" + database);

        assertThat(console.stderr()).isEmpty();
        assertThat(exit).isZero();
        Path html = out.resolve("report.html").toAbsolutePath();
        Path pdf = out.resolve("report.pdf").toAbsolutePath();
        assertThat(console.stdout()).isEqualTo("Report: " + html + "\nPDF: " + pdf + "\n");

        // The PDF: Chromium printed the page, several A4 pages of it.
        byte[] pdfBytes = Files.readAllBytes(pdf);
        assertThat(new String(pdfBytes, 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
        assertThat(pdfBytes.length).isGreaterThan(20_000);

        // Self-contained: nothing to fetch, not a script, style or picture.
        Document page = Jsoup.parse(Files.readString(html), html.toUri().toString());
        assertThat(page.select("script[src], link[href], img[src], iframe")).isEmpty();
        assertThat(page.select("script").stream().map(Element::data))
                .anyMatch(js -> js.contains("Chart.js v4"));

        Document rendered = dumpDom(chromium, html);
        Elements canvases = rendered.select("canvas");
        assertThat(canvases).hasSizeGreaterThanOrEqualTo(8);
        assertThat(rendered.body().attr("data-charts-drawn"))
                .isEqualTo(String.valueOf(canvases.size()));
        for (Element canvas : canvases) {
            // Chart.js sized it: the script ran and drew.
            assertThat(canvas.attr("style")).as(canvas.id()).contains("width");
            assertThat(Integer.parseInt(canvas.attr("height"))).as(canvas.id()).isPositive();
        }

        GrafanaBoards.Range range =
                new GrafanaBoards.Range(
                        FROM.getEpochSecond(),
                        TO.getEpochSecond(),
                        LeadershipReport.interval(TO.getEpochSecond() - FROM.getEpochSecond()));
        assertThat(range.intervalSeconds()).isEqualTo(300);
        assertThat(rendered.selectFirst("p.source").text()).contains("time series per 5 min 0 s");
        int[] checked = checkPage(rendered, database, range, null, true);
        // Nearly every panel has facts to show; a page that agrees only on "no data" proves little.
        assertThat(checked[1]).isGreaterThanOrEqualTo(22);
        assertThat(checked[0]).isGreaterThan(200);

        // The headline as a reader sees it, spelled out once.
        long carts =
                panelSql(
                                database,
                                new Item(LeadershipReport.LIVE, "Abandoned carts", Display.STAT),
                                range,
                                null)
                        .get(0)
                        .get(0)
                        .get("carts")
                        .asLong();
        assertThat(carts).isPositive();
        assertThat(
                        rendered.selectFirst(
                                        "#headline .stat[data-panel=\"Abandoned carts\"] .number")
                                .text())
                .isEqualTo(String.valueOf(carts));

        // No personal data: the facts' customer and visitor ids are nowhere on the page.
        assertThat(rendered.text()).doesNotContain("cust-").doesNotContain("visitor/");
        assertThat(Files.readString(html)).doesNotContain("cust-").doesNotContain("visitor/v-77");

        // One store: the page as written (numbers and tables need no script) equals the panels'
        // SQL for that store, and differs from all stores'.
        console.reset();
        Path shop1 = dir.resolve("shop-1");
        assertThat(
                        JobCli.execute(
                                "report",
                                "--from",
                                FROM.toString(),
                                "--to",
                                TO.toString(),
                                "--store",
                                "shop-1",
                                "--out",
                                shop1.toString(),
                                "--no-pdf",
                                "--clickhouse-url",
                                CLICKHOUSE.url(),
                                "-D",
                                "clickhouse.database=" + database))
                .as(console.stderr())
                .isZero();
        assertThat(console.stdout())
                .isEqualTo("Report: " + shop1.resolve("report.html").toAbsolutePath() + "\n");
        assertThat(shop1.resolve("report.pdf")).doesNotExist();
        Document storePage =
                Jsoup.parse(
                        Files.readString(shop1.resolve("report.html")), html.toUri().toString());
        assertThat(storePage.selectFirst("p.scope").text()).contains("stores shop-1");
        int[] storeChecked = checkPage(storePage, database, range, "'shop-1'", false);
        assertThat(storeChecked[1]).isGreaterThanOrEqualTo(15);
        assertThat(
                        storePage
                                .selectFirst(
                                        "#headline .stat[data-panel=\"Abandoned carts\"] .number")
                                .text())
                .isNotEqualTo(String.valueOf(carts));
    }

    /**
     * Checks every panel of the page against its SQL run directly for {@code stores} (null: all);
     * {@code drawn}: the page's scripts ran. Returns the values checked and the panels with rows.
     */
    private static int[] checkPage(
            Document page, String database, GrafanaBoards.Range range, String stores, boolean drawn)
            throws IOException {
        int checked = 0;
        int withRows = 0;
        for (Section section : LeadershipReport.SECTIONS) {
            Element shown = page.getElementById(section.id());
            assertThat(shown).as(section.id()).isNotNull();
            for (Item item : section.items()) {
                String where = section.title() + " / " + item.panel();
                List<List<JsonNode>> expected = panelSql(database, item, range, stores);
                Element element = panelElement(shown, item);
                assertThat(element).as(where).isNotNull();
                if (!expected.get(0).isEmpty()) {
                    withRows++;
                }
                checked += compare(where, item, element, expected, drawn);
            }
        }
        return new int[] {checked, withRows};
    }

    @Test
    void aFolderThatCannotBeCreatedIsOneLine() throws IOException {
        String database = CLICKHOUSE.newDatabase();
        new SchemaMigrator(new ClickHouseHttp(CLICKHOUSE.clickHouseSettings(database)), database)
                .apply(Migrations.bundled());
        Path file = Files.writeString(dir.resolve("taken"), "a file");

        int exit =
                JobCli.execute(
                        "report",
                        "--out",
                        file.resolve("report").toString(),
                        "--clickhouse-url",
                        CLICKHOUSE.url(),
                        "-D",
                        "clickhouse.database=" + database,
                        "--no-pdf");

        assertThat(exit).isEqualTo(1);
        assertThat(console.stderr())
                .startsWith(
                        "cart-recovery: cannot create the report folder " + file.resolve("report"))
                .hasLineCount(1);
        assertThat(console.stdout()).isEmpty();
    }

    @Test
    void aClickHouseThatCannotAnswerIsOneLineAndLeavesNoFolder() {
        Path out = dir.resolve("never");

        int exit =
                JobCli.execute(
                        "report",
                        "--out",
                        out.toString(),
                        "--clickhouse-url",
                        CLICKHOUSE.url(),
                        "-D",
                        "clickhouse.database=" + CLICKHOUSE.newDatabase());

        assertThat(exit).isEqualTo(2);
        assertThat(console.stderr()).startsWith("cart-recovery: ClickHouse at ").hasLineCount(1);
        assertThat(out).doesNotExist();
    }

    @Test
    void aRangeThatIsNoDateOrInstantIsOneLine() {
        int exit =
                JobCli.execute(
                        "report", "--from", "last tuesday", "--clickhouse-url", CLICKHOUSE.url());

        assertThat(exit).isEqualTo(2);
        assertThat(console.stderr())
                .isEqualTo(
                        "cart-recovery: --from 'last tuesday' is neither a date (2026-12-01) nor an"
                                + " instant (2026-12-01T08:00:00Z)\n");
    }

    @Test
    void datesCoverWholeDaysInUtc() {
        assertThat(LeadershipReport.instant("2026-12-01", false))
                .isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(LeadershipReport.instant("2026-12-07", true))
                .isEqualTo(Instant.parse("2026-12-07T23:59:59Z"));
        assertThat(LeadershipReport.instant("2026-12-07T10:15:00+01:00", true))
                .isEqualTo(Instant.parse("2026-12-07T09:15:00Z"));
        assertThat(LeadershipReport.instant("2026-12-07T10:15", true))
                .isEqualTo(Instant.parse("2026-12-07T10:15:00Z"));
    }

    /** The rows of each target of the item's panel, its SQL run directly (stores null: all). */
    private static List<List<JsonNode>> panelSql(
            String database, Item item, GrafanaBoards.Range range, String stores)
            throws IOException {
        JsonNode board = Boards.boards().get(item.board());
        String all =
                stores != null
                        ? stores
                        : board.get("templating").get("list").get(0).get("allValue").asText();
        for (JsonNode panel : board.get("panels")) {
            if (panel.get("title").asText().equals(item.panel())) {
                List<List<JsonNode>> targets = new ArrayList<>();
                for (JsonNode target : panel.get("targets")) {
                    targets.add(
                            Boards.query(
                                    CLICKHOUSE,
                                    database,
                                    Boards.expand(target.get("rawSql").asText(), all, range)));
                }
                return targets;
            }
        }
        throw new AssertionError("no panel " + item.panel() + " on " + item.board());
    }

    private static Element panelElement(Element section, Item item) {
        String css =
                switch (item.display()) {
                    case STAT -> ".stat";
                    case TABLE -> "div.panel";
                    case BARS, LINES -> "figure.chart";
                };
        for (Element candidate : section.select(css)) {
            if (candidate.attr("data-panel").equals(item.panel())) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Compares what the page shows of a panel with its rows; returns how many values it checked.
     */
    private static int compare(
            String where, Item item, Element element, List<List<JsonNode>> sql, boolean drawn) {
        int checked = 0;
        if (item.display() == Display.STAT) {
            List<JsonNode> rows = sql.get(0);
            Elements values = element.select("p.value");
            if (rows.isEmpty()) {
                assertThat(values).as(where).hasSize(1);
                assertThat(values.get(0).text()).as(where).isEqualTo("–");
                return 1;
            }
            assertThat(values).as(where).hasSize(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                String column = values.get(i).attr("data-column");
                JsonNode value = rows.get(i).get(column);
                assertThat(values.get(i).attr("data-value")).as(where).isEqualTo(value.asText());
                assertShown(where, values.get(i).selectFirst(".number").text(), value);
                if (values.get(i).hasAttr("data-key")) {
                    // Money per currency: the currency beside its amount.
                    String key = values.get(i).attr("data-key");
                    assertThat(rows.get(i).findValuesAsText("currency")).as(where).contains(key);
                    assertThat(values.get(i).selectFirst(".key").text()).isEqualTo(key);
                }
                checked++;
            }
            return checked;
        }
        Elements tables = element.select("table");
        int nonEmpty = (int) sql.stream().filter(rows -> !rows.isEmpty()).count();
        assertThat(tables).as(where).hasSize(nonEmpty);
        Iterator<Element> table = tables.iterator();
        int points = 0;
        for (List<JsonNode> rows : sql) {
            if (rows.isEmpty()) {
                continue;
            }
            Element shown = table.next();
            List<String> columns = new ArrayList<>();
            rows.get(0).fieldNames().forEachRemaining(columns::add);
            assertThat(shown.select("thead th").eachAttr("data-column"))
                    .as(where)
                    .isEqualTo(columns);
            Elements trs = shown.select("tbody tr");
            assertThat(trs).as(where).hasSize(rows.size());
            for (int r = 0; r < rows.size(); r++) {
                Elements cells = trs.get(r).select("td");
                for (int c = 0; c < columns.size(); c++) {
                    JsonNode value = rows.get(r).get(columns.get(c));
                    assertThat(cells.get(c).attr("data-value"))
                            .as(where + " row " + r + " " + columns.get(c))
                            .isEqualTo(value.isNull() ? "" : value.asText());
                    assertShown(
                            where + " row " + r + " " + columns.get(c), cells.get(c).text(), value);
                    checked++;
                    boolean plotted =
                            item.display() == Display.LINES
                                    ? cells.get(c).hasClass("num")
                                    : item.plot().contains(columns.get(c));
                    if (plotted && !value.isNull()) {
                        points++;
                    }
                }
            }
        }
        if (drawn && (item.display() == Display.BARS || item.display() == Display.LINES)) {
            Element canvas = element.selectFirst("canvas");
            if (nonEmpty == 0) {
                assertThat(canvas).as(where).isNull();
            } else {
                assertThat(canvas.attr("data-points")).as(where).isEqualTo(String.valueOf(points));
            }
        }
        return checked;
    }

    /**
     * A value as the page shows it: "–" for none, a percentage to a tenth of a point, a duration to
     * the second, money and fractions to the cent, counts exactly; text as it is.
     */
    private static void assertShown(String where, String text, JsonNode value) {
        if (value == null || value.isNull()) {
            assertThat(text).as(where).isEqualTo("–");
            return;
        }
        double number;
        try {
            number = Double.parseDouble(value.asText());
        } catch (NumberFormatException e) {
            assertThat(text).as(where).isEqualTo(value.asText());
            return;
        }
        Matcher duration = DURATION.matcher(text);
        if (text.endsWith("%")) {
            assertThat(Double.parseDouble(text.substring(0, text.length() - 1)) / 100)
                    .as(where + ": " + text)
                    .isCloseTo(number, within(0.0005 + 1e-12));
        } else if ((text.endsWith(" s") || text.endsWith(" min")) && duration.matches()) {
            double seconds =
                    (duration.group(2) == null ? 0 : 3600 * Long.parseLong(duration.group(2)))
                            + (duration.group(3) == null
                                    ? 0
                                    : 60 * Long.parseLong(duration.group(3)))
                            + (duration.group(4) == null ? 0 : Long.parseLong(duration.group(4)));
            double tolerance = duration.group(2) != null ? 60 : 0.5;
            assertThat(duration.group(1).isEmpty() ? seconds : -seconds)
                    .as(where + ": " + text)
                    .isCloseTo(number, within(tolerance));
        } else {
            String plain = text.replace(",", "");
            double shown = Double.parseDouble(plain);
            assertThat(shown)
                    .as(where + ": " + text)
                    .isCloseTo(number, within(plain.contains(".") ? 0.005 + 1e-9 : 0.0));
        }
    }

    /** The page after its scripts ran, as headless Chromium holds it. */
    private Document dumpDom(Path chromium, Path html) throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(ChromiumPdf.headless(chromium, dir.resolve("profile")));
        command.addAll(
                List.of(
                        "--virtual-time-budget=10000",
                        "--window-size=1200,900",
                        "--dump-dom",
                        html.toUri().toString()));
        Path dom = dir.resolve("dom.html");
        Process process =
                new ProcessBuilder(command)
                        .redirectOutput(dom.toFile())
                        .redirectError(dir.resolve("chromium.log").toFile())
                        .start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("Chromium ended").isTrue();
        assertThat(process.exitValue()).as(Files.readString(dir.resolve("chromium.log"))).isZero();
        return Jsoup.parse(Files.readString(dom), html.toUri().toString());
    }

    private static Path chromium() {
        return ChromiumPdf.find()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "The report's test renders it in headless Chromium:"
                                                + " apt-get install -y chromium (.ci/run does)"));
    }
}

package io.cartrecovery.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.clickhouse.ClickHouseHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The leadership report: the boards' own panels, run for one time range and written as one
 * self-contained HTML page (charts by Chart.js, inlined). What it shows, in order, is {@link
 * #SECTIONS}; every number comes from the panel's SQL in {@code dashboards/json}, read when the
 * report is made, with the macros expanded as Grafana's ClickHouse plugin does ({@link
 * GrafanaBoards#expand}). See docs/report.md.
 */
public final class LeadershipReport {
    static final String LIVE = "Live Recovery Board";
    static final String FUNNEL = "Abandonment funnel & reasons";
    static final String AGENTS = "Agent execution & SLA";
    static final String ROI = "30/60/90 days";

    /** How a panel is shown. */
    enum Display {
        /** Its value(s) large, one per row (per currency for money). */
        STAT,
        /** Its rows as a table. */
        TABLE,
        /** A bar per row of its first text column; its table beneath. */
        BARS,
        /** Lines over its {@code time} column, every target; its numbers beneath. */
        LINES
    }

    /**
     * A panel of a board, shown as {@code display}; {@code plot} names the columns a bar chart
     * draws (empty: every number).
     */
    record Item(String board, String panel, Display display, List<String> plot) {
        Item(String board, String panel, Display display) {
            this(board, panel, display, List.of());
        }
    }

    record Section(String id, String title, String intro, List<Item> items) {}

    static final List<Section> SECTIONS =
            List.of(
                    new Section(
                            "headline",
                            "Headline numbers",
                            "Carts abandoned in the range and what became of them; holdout carts"
                                    + " are left out of rates and revenue and only used for the"
                                    + " lift, and rates are over contactable carts (a customer"
                                    + " with a consented channel): only those get tasks.",
                            List.of(
                                    new Item(LIVE, "Abandoned carts", Display.STAT),
                                    new Item(LIVE, "Contactable carts", Display.STAT),
                                    new Item(LIVE, "Abandoned value", Display.STAT),
                                    new Item(LIVE, "Recovered carts", Display.STAT),
                                    new Item(LIVE, "Recovered revenue", Display.STAT),
                                    new Item(LIVE, "Recovery rate", Display.STAT),
                                    new Item(LIVE, "Contacted within 30 min", Display.STAT),
                                    new Item(LIVE, "Median time to first contact", Display.STAT),
                                    new Item(LIVE, "Incremental lift vs holdout", Display.STAT),
                                    new Item(LIVE, "Abandonment rate", Display.STAT),
                                    new Item(LIVE, "Attempts per prospect", Display.STAT))),
                    new Section(
                            "trends",
                            "Trends",
                            "Per interval of the range (UTC).",
                            List.of(
                                    new Item(LIVE, "Abandonment and recovery", Display.LINES),
                                    new Item(LIVE, "Abandoned value over time", Display.LINES),
                                    new Item(LIVE, "Recovery by channel", Display.LINES),
                                    new Item(LIVE, "Time to first contact", Display.LINES),
                                    new Item(LIVE, "Recovery rate vs holdout", Display.LINES))),
                    new Section(
                            "funnel",
                            "Funnel and reasons",
                            "Where shoppers left, why they probably did, and which carts come"
                                    + " back.",
                            List.of(
                                    new Item(
                                            FUNNEL,
                                            "Abandoned carts by stage reached",
                                            Display.BARS,
                                            List.of("carts")),
                                    new Item(
                                            FUNNEL, "Reason hints", Display.BARS, List.of("carts")),
                                    new Item(
                                            FUNNEL,
                                            "Objections heard",
                                            Display.BARS,
                                            List.of("attempts")),
                                    new Item(
                                            LIVE,
                                            "Response rate by channel",
                                            Display.BARS,
                                            List.of("response_rate")),
                                    new Item(
                                            FUNNEL,
                                            "Recovery rate by stage and reason",
                                            Display.TABLE),
                                    new Item(
                                            FUNNEL,
                                            "Stage and reason: carts and value",
                                            Display.TABLE))),
                    new Section(
                            "agents",
                            "Agents",
                            "The contact centre's work in the range; messages count under"
                                    + " (automated).",
                            List.of(
                                    new Item(AGENTS, "Open tasks", Display.STAT),
                                    new Item(AGENTS, "First-contact SLA breaches", Display.STAT),
                                    new Item(AGENTS, "First-contact SLA met", Display.STAT),
                                    new Item(AGENTS, "Agent KPIs", Display.TABLE),
                                    new Item(AGENTS, "Recoveries per agent", Display.TABLE))),
                    new Section(
                            "roi",
                            "30/60/90 days",
                            "The 30, 60 and 90 days up to the end of the range, by the carts"
                                    + " abandoned in each.",
                            List.of(
                                    new Item(
                                            ROI,
                                            "Milestones",
                                            Display.BARS,
                                            List.of("abandoned_carts", "recovered_carts")),
                                    new Item(ROI, "Money per window", Display.TABLE),
                                    new Item(ROI, "Time to first contact", Display.TABLE),
                                    new Item(ROI, "Lift vs holdout", Display.TABLE),
                                    new Item(ROI, "Contact effort", Display.TABLE))));

    /** One panel with the rows each of its targets returned. */
    record Shown(Item item, JsonNode panel, List<PanelRows> targets) {
        String unit() {
            return panel.path("fieldConfig").path("defaults").path("unit").asText("");
        }
    }

    /** What the report covers: a time range (UTC) and the stores (empty: all). */
    public record Scope(Instant from, Instant to, List<String> stores) {
        public Scope {
            if (!from.isBefore(to)) {
                throw new IllegalArgumentException(
                        "the range is empty: --from " + from + " is not before --to " + to);
            }
            stores = List.copyOf(stores);
        }
    }

    private final GrafanaBoards boards;
    private final ClickHouseHttp http;
    private final String database;

    public LeadershipReport(GrafanaBoards boards, ClickHouseHttp http, String database) {
        this.boards = boards;
        this.http = http;
        this.database = database;
    }

    /**
     * A time of the command line, UTC: a date ({@code 2026-12-01}: the start of that day, or with
     * {@code endOfDay} its last second), a date-time ({@code 2026-12-01T08:00}) or an instant with
     * an offset ({@code 2026-12-01T08:00:00Z}).
     *
     * @throws IllegalArgumentException naming the forms it takes
     */
    public static Instant instant(String text, boolean endOfDay) {
        String value = text.strip();
        try {
            LocalDate date = LocalDate.parse(value);
            return endOfDay
                    ? date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1)
                    : date.atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notADate) {
            // the next form
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notAnInstant) {
            // the next form
        }
        try {
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "'"
                            + text
                            + "' is neither a date (2026-12-01) nor an instant"
                            + " (2026-12-01T08:00:00Z)");
        }
    }

    /** The time-series interval: about 120 points over the range, at least a minute. */
    static int interval(long seconds) {
        int[] steps = {60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 604800};
        for (int step : steps) {
            if (seconds / step <= 120) {
                return step;
            }
        }
        return steps[steps.length - 1];
    }

    /** Runs every panel of the report and returns its page. */
    public String html(Scope scope, Instant generatedAt) {
        GrafanaBoards.Range range =
                new GrafanaBoards.Range(
                        scope.from().getEpochSecond(),
                        scope.to().getEpochSecond(),
                        interval(scope.to().getEpochSecond() - scope.from().getEpochSecond()));
        List<List<Shown>> sections = new ArrayList<>();
        for (Section section : SECTIONS) {
            List<Shown> shown = new ArrayList<>();
            for (Item item : section.items()) {
                JsonNode panel = boards.panel(item.board(), item.panel());
                String stores =
                        scope.stores().isEmpty()
                                ? boards.allStores(item.board())
                                : GrafanaBoards.singleQuoted(scope.stores());
                List<PanelRows> targets = new ArrayList<>();
                for (String sql : GrafanaBoards.targets(panel)) {
                    targets.add(
                            PanelRows.query(
                                    http, database, GrafanaBoards.expand(sql, stores, range)));
                }
                shown.add(new Shown(item, panel, targets));
            }
            sections.add(shown);
        }
        return new ReportPage(scope, range, database, boards.dir(), generatedAt).render(sections);
    }

    /** What {@link #write} wrote: the page, and the PDF or why there is none. */
    public record Written(Path html, Optional<Path> pdf, String noPdf) {}

    /**
     * Runs the panels, then writes {@code report.html} into {@code out} (created when missing) and,
     * when a Chromium is given, prints it to {@code report.pdf}. A PDF that fails is reported, not
     * thrown: the page is the report.
     *
     * @throws NotWritable when {@code out} cannot be created or written
     */
    public Written write(Scope scope, Path out, Instant generatedAt, Optional<Path> chromium) {
        // The queries first: a ClickHouse that cannot answer leaves no empty folder behind.
        String page = html(scope, generatedAt);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new NotWritable("cannot create the report folder " + out + ": " + reason(e));
        }
        Path html = out.resolve("report.html");
        try {
            Files.writeString(html, page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NotWritable("cannot write the report into " + out + ": " + reason(e));
        }
        Path pdf = out.resolve("report.pdf");
        if (chromium.isEmpty()) {
            try {
                // A PDF of an earlier run beside this page would not match it.
                Files.deleteIfExists(pdf);
            } catch (IOException e) {
                throw new NotWritable("cannot remove the earlier " + pdf + ": " + reason(e));
            }
            return new Written(
                    html,
                    Optional.empty(),
                    "no PDF: Chromium is not installed (apt-get install -y chromium)");
        }
        try {
            ChromiumPdf.print(chromium.get(), html, pdf);
            return new Written(html, Optional.of(pdf), null);
        } catch (IOException e) {
            return new Written(html, Optional.empty(), "no PDF: " + e.getMessage());
        }
    }

    private static String reason(IOException e) {
        if (e instanceof FileAlreadyExistsException) {
            return "a file of that name is in the way";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The report's folder or files cannot be written; one line says which and why. */
    public static final class NotWritable extends RuntimeException {
        NotWritable(String message) {
            super(message);
        }
    }
}

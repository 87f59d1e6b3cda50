package io.cartrecovery.cli;

import io.cartrecovery.clickhouse.ClickHouseHttp;
import io.cartrecovery.config.ClickHouseOptions;
import io.cartrecovery.config.ClickHouseSettings;
import io.cartrecovery.report.ChromiumPdf;
import io.cartrecovery.report.GrafanaBoards;
import io.cartrecovery.report.LeadershipReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "The leadership report: headline numbers, trends, funnel and reasons, agents and"
                    + " 30/60/90 days, from the Grafana boards' own queries (dashboards/json), as"
                    + " one self-contained HTML page, and a PDF when Chromium is installed"
                    + " (docs/report.md).",
            "Times are UTC. A date means the start of that day for --from and its end for --to."
        })
public final class ReportCommand implements Callable<Integer> {
    static final Duration DEFAULT_RANGE = Duration.ofDays(7);

    @Spec CommandSpec spec;

    @Mixin SettingsMixin settings;

    @Option(
            names = "--from",
            paramLabel = "WHEN",
            description =
                    "Start of the range: a date (2026-12-01) or an instant (2026-12-01T08:00:00Z)"
                            + " (default: 7 days before --to).")
    String from;

    @Option(
            names = "--to",
            paramLabel = "WHEN",
            description = "End of the range, a date or an instant (default: now).")
    String to;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description =
                    "Folder for report.html and report.pdf, created when missing (default:"
                            + " ${DEFAULT-VALUE}).")
    Path out = Path.of("report");

    @Option(
            names = "--store",
            paramLabel = "ID",
            description = "Only this store; repeat for several (default: all stores).")
    List<String> stores = new ArrayList<>();

    @Option(
            names = "--clickhouse-url",
            paramLabel = "URL",
            description = "ClickHouse HTTP address; same as -D clickhouse.url=URL.")
    String clickhouseUrl;

    @Option(
            names = "--dashboards",
            paramLabel = "DIR",
            description = "The boards whose queries it runs (default: dashboards/json here).")
    Path dashboards;

    @Option(names = "--no-pdf", description = "Write the HTML page only.")
    boolean noPdf;

    @Override
    public Integer call() {
        if (clickhouseUrl != null) {
            settings.overrides().put(ClickHouseOptions.URL.key(), clickhouseUrl);
        }
        ClickHouseSettings clickhouse =
                ClickHouseSettings.from(settings.load())
                        .orElseThrow(
                                () ->
                                        new UsageProblem(
                                                "where is ClickHouse? Give --clickhouse-url URL"
                                                        + " or -D "
                                                        + ClickHouseOptions.URL.key()
                                                        + "=URL (the demo's:"
                                                        + " http://127.0.0.1:8123)"));
        Instant end =
                to == null
                        ? Instant.now().truncatedTo(ChronoUnit.SECONDS)
                        : parse("--to", to, true);
        Instant start = from == null ? end.minus(DEFAULT_RANGE) : parse("--from", from, false);
        if (!start.isBefore(end)) {
            throw new UsageProblem("--from " + start + " is not before --to " + end);
        }
        Path boardsDir =
                dashboards != null
                        ? dashboards
                        : GrafanaBoards.find()
                                .orElseThrow(
                                        () ->
                                                new UsageProblem(
                                                        "no dashboards/json here or above; give"
                                                                + " --dashboards DIR"));
        if (!Files.isDirectory(boardsDir)) {
            throw new UsageProblem("--dashboards " + boardsDir + " is not a folder");
        }
        LeadershipReport.Written written;
        try {
            written =
                    new LeadershipReport(
                                    GrafanaBoards.load(boardsDir),
                                    new ClickHouseHttp(clickhouse),
                                    clickhouse.database())
                            .write(
                                    new LeadershipReport.Scope(start, end, stores),
                                    out.toAbsolutePath(),
                                    Instant.now(),
                                    noPdf ? Optional.empty() : ChromiumPdf.find());
        } catch (LeadershipReport.NotWritable e) {
            throw new CommandFailure(e.getMessage());
        }
        PrintWriter printed = spec.commandLine().getOut();
        printed.printf("Report: %s%n", written.html());
        if (written.pdf().isPresent()) {
            printed.printf("PDF: %s%n", written.pdf().get());
        } else if (!noPdf) {
            printed.printf("PDF: %s%n", written.noPdf());
        }
        printed.flush();
        return 0;
    }

    private static Instant parse(String option, String text, boolean endOfDay) {
        try {
            return LeadershipReport.instant(text, endOfDay);
        } catch (IllegalArgumentException e) {
            throw new UsageProblem(option + " " + e.getMessage());
        }
    }
}

package io.cartrecovery.cli;

import io.cartrecovery.clickhouse.ClickHouseFacts;
import io.cartrecovery.clickhouse.ClickHouseHttp;
import io.cartrecovery.clickhouse.Migrations;
import io.cartrecovery.clickhouse.SchemaMigrator;
import io.cartrecovery.config.ClickHouseOptions;
import io.cartrecovery.config.ClickHouseSettings;
import io.cartrecovery.config.IngestOptions;
import io.cartrecovery.config.JobSettings;
import io.cartrecovery.replay.ReplayJob;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Backtest: run the detection job on a file of events in event time (one record per line:"
                    + " canonical JSON, GA4, Segment or CSV; see --format).",
            "Writes DIR/tasks.jsonl, DIR/abandoned.jsonl, DIR/task-events.jsonl, DIR/alerts.jsonl"
                    + " and DIR/dlq.jsonl. A cart whose gap has not elapsed by the file's last event"
                    + " is not reported; the follow-up cadence runs up to that event's time.",
            "With --clickhouse-url, also writes the tasks and abandoned carts into ClickHouse."
        })
public final class ReplayCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin SettingsMixin settings;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "FILE",
            description = "Events, one record per line.")
    Path input;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Folder for the results (created if missing).")
    Path out;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description =
                    "auto (default: detected per line), canonical, ga4, ga4-bigquery, segment or csv;"
                            + " same as -D ingest.format=FORMAT.")
    String format;

    @Option(
            names = "--clickhouse-url",
            paramLabel = "URL",
            description =
                    "Also write the facts into ClickHouse (after `schema apply`), so a backtest"
                            + " fills the same boards; same as -D clickhouse.url=URL.")
    String clickhouseUrl;

    @Option(
            names = "--profiles",
            paramLabel = "FILE",
            description =
                    "Customer profiles (JSON lines, docs/profiles.md) known from the start of the"
                            + " replay.")
    Path profiles;

    @Option(
            names = "--agents",
            paramLabel = "FILE",
            description =
                    "The agents roster (JSON lines, docs/assignment.md) known from the start of the"
                            + " replay: calls are assigned to them and alerts written to"
                            + " DIR/alerts.jsonl.")
    Path agents;

    @Option(
            names = "--outcomes",
            paramLabel = "FILE",
            description =
                    "Contact outcomes (JSON lines, docs/outcomes.md): applied at their own time to"
                            + " drive the follow-up cadence, as the dialers' topic does live.")
    Path outcomes;

    @Option(
            names = "--store",
            paramLabel = "ID",
            description = "Store of lines that name none; same as -D ingest.store-id=ID.")
    String store;

    @Override
    public Integer call() throws Exception {
        if (format != null) {
            settings.overrides().put(IngestOptions.FORMAT.key(), format);
        }
        if (store != null) {
            settings.overrides().put(IngestOptions.STORE_ID.key(), store);
        }
        if (clickhouseUrl != null) {
            settings.overrides().put(ClickHouseOptions.URL.key(), clickhouseUrl);
        }
        Configuration config = settings.load();
        requireFile(input, "input");
        requireFile(profiles, "profiles");
        requireFile(agents, "agents");
        requireFile(outcomes, "outcomes");
        createOutputFolder(out);
        Optional<ClickHouseSettings> clickhouse = ClickHouseSettings.from(config);
        // Checked before the run, so that a missing schema is one line and not a failed job.
        clickhouse.ifPresent(
                ch ->
                        new SchemaMigrator(new ClickHouseHttp(ch), ch.database())
                                .requireApplied(Migrations.bundled()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        long skipped =
                ReplayJob.run(
                        env,
                        input,
                        profiles,
                        agents,
                        outcomes,
                        out,
                        JobSettings.from(config),
                        clickhouse.map(ClickHouseFacts::sinks).orElse(null));
        PrintWriter stdout = spec.commandLine().getOut();
        for (String file : ReplayJob.FILES) {
            stdout.printf("%-18s %d%n", file, lines(out.resolve(file)));
        }
        stdout.printf("%-18s %d%n", "skipped events", skipped);
        clickhouse.ifPresent(
                ch ->
                        stdout.printf(
                                "tasks, abandoned carts and follow-up facts also written to %s at"
                                        + " %s%n",
                                ch.database(), ch.url()));
        stdout.flush();
        return 0;
    }

    /** A file named on the command line, checked before the run so that a mistake is one line. */
    private static void requireFile(Path file, String what) {
        if (file == null) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new UsageProblem(what + " file " + file + " is a folder, not a file");
        }
        if (!Files.exists(file)) {
            throw new UsageProblem(what + " file " + file + " does not exist");
        }
        if (!Files.isReadable(file)) {
            throw new UsageProblem(what + " file " + file + " cannot be read (permission denied)");
        }
    }

    private static void createOutputFolder(Path out) {
        Path absolute = out.toAbsolutePath();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new UsageProblem(
                    "cannot create the output folder "
                            + out
                            + ": "
                            + (existing.equals(absolute) ? out : existing)
                            + " is not a folder");
        }
        try {
            Files.createDirectories(out);
        } catch (AccessDeniedException e) {
            throw new UsageProblem(
                    "cannot create the output folder " + out + ": permission denied");
        } catch (IOException e) {
            throw new UsageProblem(
                    "cannot create the output folder "
                            + out
                            + ": "
                            + e.getClass().getSimpleName()
                            + " "
                            + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!Files.isWritable(out)) {
            throw new UsageProblem(
                    "cannot write into the output folder " + out + ": permission denied");
        }
    }

    private static long lines(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        }
    }
}

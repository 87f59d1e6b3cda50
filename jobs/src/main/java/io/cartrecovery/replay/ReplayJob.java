package io.cartrecovery.replay;

import io.cartrecovery.assignment.Agent;
import io.cartrecovery.assignment.AgentIngestion;
import io.cartrecovery.assignment.ParsedAgent;
import io.cartrecovery.config.JobSettings;
import io.cartrecovery.enrich.CartEnricher;
import io.cartrecovery.ingest.IngestWatermarks;
import io.cartrecovery.ingest.Ingested;
import io.cartrecovery.ingest.Ingestion;
import io.cartrecovery.ingest.SourcePosition;
import io.cartrecovery.job.CartRecoveryJob;
import io.cartrecovery.profiles.CustomerProfile;
import io.cartrecovery.profiles.ParsedProfile;
import io.cartrecovery.profiles.ProfileIngestion;
import io.cartrecovery.sinks.JsonLinesFileSink;
import io.cartrecovery.sinks.OutputFormats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A backtest: the streaming job graph on a file of events (JSON lines), in event time, writing
 * {@code tasks.jsonl}, {@code abandoned.jsonl}, {@code dlq.jsonl} and {@code alerts.jsonl} into a
 * folder, and facts into ClickHouse when asked to. It runs in streaming mode on purpose: batch mode
 * would fire timers in a different order than live.
 */
public final class ReplayJob {
    public static final String TASKS = "tasks.jsonl";
    public static final String ABANDONED = "abandoned.jsonl";
    public static final String DEAD_LETTERS = "dlq.jsonl";
    public static final String ALERTS = "alerts.jsonl";

    private ReplayJob() {}

    /**
     * Runs a replay to the end and leaves the result files in {@code outDir}.
     *
     * @param profiles a file of customer profiles (JSON lines, docs/profiles.md), or null
     * @param agents a file of agents (JSON lines, docs/assignment.md), or null
     * @param facts where the tasks and abandoned carts also go (ClickHouse), or null
     * @return how many well-formed events of kinds the pipeline does not use were skipped
     */
    public static long run(
            StreamExecutionEnvironment env,
            Path input,
            Path profiles,
            Path agents,
            Path outDir,
            JobSettings settings,
            CartRecoveryJob.Facts facts)
            throws Exception {
        build(env, input, profiles, agents, outDir, settings, facts);
        JobExecutionResult result = env.execute("cart-recovery-replay");
        for (String file : List.of(TASKS, ABANDONED, DEAD_LETTERS, ALERTS)) {
            JsonLinesFileSink.mergeParts(outDir.resolve(file));
        }
        Long skipped = result.getAccumulatorResult(NumberedLines.SKIPPED);
        return skipped == null ? 0 : skipped;
    }

    public static void build(
            StreamExecutionEnvironment env,
            Path input,
            Path profiles,
            Path agents,
            Path outDir,
            JobSettings settings,
            CartRecoveryJob.Facts facts)
            throws IOException {
        Files.createDirectories(outDir);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        CartRecoveryJob.configure(env);
        FileSource<String> source =
                FileSource.forRecordStreamFormat(
                                new TextLineInputFormat(),
                                new org.apache.flink.core.fs.Path(input.toUri()))
                        .build();
        DataStream<Ingested> ingested =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "replay file")
                        .setParallelism(1)
                        .flatMap(new NumberedLines(input.toString(), Ingestion.from(settings)))
                        .setParallelism(1)
                        .name("parse lines")
                        .assignTimestampsAndWatermarks(
                                IngestWatermarks.strategy(
                                        settings.outOfOrderness(), settings.idleTimeout()))
                        .setParallelism(1)
                        .name("event time")
                        .transform(
                                "stop at last event",
                                TypeInformation.of(Ingested.class),
                                new HoldFinalWatermark<>())
                        .setParallelism(1);
        CartRecoveryJob.build(
                ingested,
                profiles(env, profiles),
                agents(env, agents),
                settings,
                new CartRecoveryJob.Outputs(
                        new JsonLinesFileSink<>(outDir.resolve(TASKS), OutputFormats::task),
                        new JsonLinesFileSink<>(
                                outDir.resolve(ABANDONED), OutputFormats::abandoned),
                        new JsonLinesFileSink<>(
                                outDir.resolve(DEAD_LETTERS), OutputFormats::deadLetter),
                        facts,
                        new JsonLinesFileSink<>(outDir.resolve(ALERTS), OutputFormats::alert)));
    }

    /**
     * The profiles file is read before the job starts and handed to enrichment as known profiles:
     * streamed alongside the clickstream, a profile could lose the race with its customer's cart
     * and the backtest would not be repeatable. Bad lines still reach the dead letters.
     */
    private static CartRecoveryJob.Profiles profiles(StreamExecutionEnvironment env, Path file)
            throws IOException {
        Map<String, CustomerProfile> known = new HashMap<>();
        List<ParsedProfile> bad = new ArrayList<>();
        if (file != null) {
            long line = 0;
            for (String text : Files.readAllLines(file)) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                ParsedProfile parsed =
                        ProfileIngestion.parse(
                                text.getBytes(StandardCharsets.UTF_8),
                                SourcePosition.fileLine(file.toString(), line),
                                System.currentTimeMillis());
                if (parsed.profile() != null) {
                    known.put(CartEnricher.customerKey(parsed.profile()), parsed.profile());
                } else {
                    bad.add(parsed);
                }
            }
        }
        if (bad.isEmpty()) {
            // fromData cannot make an empty stream (Flink 2.2 still asks its generator for an
            // element), so one record that carries nothing stands in.
            bad.add(new ParsedProfile(null, null));
        }
        DataStream<ParsedProfile> updates =
                env.fromData(bad, TypeInformation.of(ParsedProfile.class))
                        .name("bad profile lines")
                        .uid("profile-file");
        return new CartRecoveryJob.Profiles(updates, known);
    }

    /**
     * The agents file is read before the job starts and seeds the roster, for the same reason as
     * the profiles file: a roster streamed alongside the clickstream could lose the race with the
     * first calls. Bad lines still reach the dead letters.
     */
    private static CartRecoveryJob.Agents agents(StreamExecutionEnvironment env, Path file)
            throws IOException {
        List<Agent> known = new ArrayList<>();
        List<ParsedAgent> bad = new ArrayList<>();
        if (file != null) {
            long line = 0;
            for (String text : Files.readAllLines(file)) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                ParsedAgent parsed =
                        AgentIngestion.parse(
                                text.getBytes(StandardCharsets.UTF_8),
                                SourcePosition.fileLine(file.toString(), line),
                                System.currentTimeMillis());
                if (parsed.agent() != null) {
                    known.add(parsed.agent());
                } else {
                    bad.add(parsed);
                }
            }
        }
        if (bad.isEmpty()) {
            // As for profiles: fromData needs an element.
            bad.add(new ParsedAgent(null, null));
        }
        DataStream<ParsedAgent> updates =
                env.fromData(bad, TypeInformation.of(ParsedAgent.class))
                        .name("bad agent lines")
                        .uid("agent-file");
        return new CartRecoveryJob.Agents(updates, known);
    }
}

package io.cartrecovery.replay;

import io.cartrecovery.assignment.Agent;
import io.cartrecovery.assignment.AgentIngestion;
import io.cartrecovery.assignment.ParsedAgent;
import io.cartrecovery.config.JobSettings;
import io.cartrecovery.enrich.CartEnricher;
import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.ingest.IdleWhenCaughtUp;
import io.cartrecovery.ingest.IngestWatermarks;
import io.cartrecovery.ingest.Ingested;
import io.cartrecovery.ingest.Ingestion;
import io.cartrecovery.ingest.Limits;
import io.cartrecovery.ingest.RawRecords;
import io.cartrecovery.ingest.SourcePosition;
import io.cartrecovery.job.CartRecoveryJob;
import io.cartrecovery.keys.CustomerKey;
import io.cartrecovery.outcomes.OutcomeIngestion;
import io.cartrecovery.outcomes.OutcomeWatermarks;
import io.cartrecovery.outcomes.ParsedOutcome;
import io.cartrecovery.profiles.CustomerProfile;
import io.cartrecovery.profiles.ParsedProfile;
import io.cartrecovery.profiles.ProfileIngestion;
import io.cartrecovery.sinks.Facts;
import io.cartrecovery.sinks.JsonLinesFileSink;
import io.cartrecovery.sinks.OutputFormats;
import io.cartrecovery.sinks.Outputs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A backtest: the streaming job graph on a file of events (JSON lines), in event time, writing
 * {@code tasks.jsonl}, {@code abandoned.jsonl}, {@code task-events.jsonl}, {@code alerts.jsonl} and
 * {@code dlq.jsonl} into a folder, and facts into ClickHouse when asked to. A file of contact
 * outcomes drives the follow-up cadence in event time as the dialers' topic does live. It runs in
 * streaming mode on purpose: batch mode would fire timers in a different order than live.
 */
public final class ReplayJob {
    public static final String TASKS = "tasks.jsonl";
    public static final String ABANDONED = "abandoned.jsonl";
    public static final String DEAD_LETTERS = "dlq.jsonl";
    public static final String TASK_EVENTS = "task-events.jsonl";
    public static final String ALERTS = "alerts.jsonl";

    /** Every result file, in the order the command reports them. */
    public static final List<String> FILES =
            List.of(TASKS, ABANDONED, TASK_EVENTS, ALERTS, DEAD_LETTERS);

    private ReplayJob() {}

    /**
     * Runs a replay to the end and leaves the result files ({@link #FILES}) in {@code outDir}.
     *
     * @param profiles a file of customer profiles (JSON lines, docs/profiles.md), or null
     * @param agents a file of agents (JSON lines, docs/assignment.md), or null
     * @param outcomes a file of contact outcomes (JSON lines, docs/outcomes.md), or null
     * @param facts where the tasks and abandoned carts also go (ClickHouse), or null
     * @return how many well-formed events of kinds the pipeline does not use were skipped
     */
    public static long run(
            StreamExecutionEnvironment env,
            Path input,
            Path profiles,
            Path agents,
            Path outcomes,
            Path outDir,
            JobSettings settings,
            Facts facts)
            throws Exception {
        build(env, input, profiles, agents, outcomes, outDir, settings, facts);
        JobExecutionResult result = env.execute("cart-recovery-replay");
        for (String file : FILES) {
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
            Path outcomes,
            Path outDir,
            JobSettings settings,
            Facts facts)
            throws IOException {
        Files.createDirectories(outDir);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        CartRecoveryJob.configure(env);
        FileSource<RawLine> source =
                FileSource.forRecordStreamFormat(
                                new RawLineFormat(settings.maxEventBytes()),
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
                                        settings.outOfOrderness(),
                                        settings.maxEventTimeStep(),
                                        settings.idleTimeout(),
                                        IdleWhenCaughtUp.CatchUps.FILES))
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
                outcomes(env, outcomes, settings),
                settings,
                new Outputs(
                        new JsonLinesFileSink<>(outDir.resolve(TASKS), OutputFormats::task),
                        new JsonLinesFileSink<>(
                                outDir.resolve(ABANDONED), OutputFormats::abandoned),
                        new JsonLinesFileSink<>(
                                outDir.resolve(DEAD_LETTERS), OutputFormats::deadLetter),
                        new JsonLinesFileSink<>(
                                outDir.resolve(TASK_EVENTS), OutputFormats::taskEvent),
                        facts,
                        new JsonLinesFileSink<>(outDir.resolve(ALERTS), OutputFormats::alert)));
    }

    /**
     * The outcomes file is read before the job starts and streamed in time order with the outcomes'
     * own event time: the follow-up applies each at its time, as live. Outcomes dated after the
     * clickstream's last event are never applied, as the replay's time ends there.
     */
    private static DataStream<ParsedOutcome> outcomes(
            StreamExecutionEnvironment env, Path file, JobSettings settings) throws IOException {
        List<ParsedOutcome> parsed = new ArrayList<>();
        forEachLine(
                file,
                Limits.MAX_OUTCOME_BYTES,
                (bytes, position, now) -> parsed.add(OutcomeIngestion.parse(bytes, position, now)),
                letter ->
                        parsed.add(
                                new ParsedOutcome(
                                        null,
                                        letter.personal(),
                                        letter.payload(),
                                        letter.position())));
        parsed.sort(Comparator.comparingLong(OutcomeIngestion::eventTime));
        if (parsed.isEmpty()) {
            // As for profiles: one record that carries nothing stands in for an empty stream.
            parsed.add(new ParsedOutcome(null, null, new byte[0], null));
        }
        return env.fromData(parsed, TypeInformation.of(ParsedOutcome.class))
                .name("outcome lines")
                .uid("outcome-file")
                .setParallelism(1)
                .assignTimestampsAndWatermarks(
                        OutcomeWatermarks.strategy(
                                settings.outOfOrderness(),
                                settings.idleTimeout(),
                                IdleWhenCaughtUp.CatchUps.FILES))
                .name("outcome time")
                .uid("outcome-time")
                .setParallelism(1);
    }

    /**
     * The profiles file is read before the job starts and handed to enrichment as known profiles:
     * streamed alongside the clickstream, a profile could lose the race with its customer's cart
     * and the backtest would not be repeatable. Bad lines still reach the dead letters.
     */
    private static CartRecoveryJob.Profiles profiles(StreamExecutionEnvironment env, Path file)
            throws IOException {
        Map<CustomerKey, CustomerProfile> known = new HashMap<>();
        List<ParsedProfile> bad = new ArrayList<>();
        forEachLine(
                file,
                Limits.MAX_PROFILE_BYTES,
                (bytes, position, now) -> {
                    ParsedProfile parsed = ProfileIngestion.parse(bytes, position, now);
                    if (parsed.profile() != null) {
                        known.put(CartEnricher.customerKey(parsed.profile()), parsed.profile());
                    } else {
                        bad.add(parsed);
                    }
                },
                letter -> bad.add(new ParsedProfile(null, letter.personal(), letter.position())));
        if (bad.isEmpty()) {
            // fromData cannot make an empty stream (Flink 2.2 still asks its generator for an
            // element), so one record that carries nothing stands in.
            bad.add(new ParsedProfile(null, null, null));
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
        forEachLine(
                file,
                Limits.MAX_AGENT_BYTES,
                (bytes, position, now) -> {
                    ParsedAgent parsed = AgentIngestion.parse(bytes, position, now);
                    if (parsed.agent() != null) {
                        known.add(parsed.agent());
                    } else {
                        bad.add(parsed);
                    }
                },
                letter -> bad.add(new ParsedAgent(null, letter, letter.position())));
        if (bad.isEmpty()) {
            // As for profiles: fromData needs an element.
            bad.add(new ParsedAgent(null, null, null));
        }
        DataStream<ParsedAgent> updates =
                env.fromData(bad, TypeInformation.of(ParsedAgent.class))
                        .name("bad agent lines")
                        .uid("agent-file");
        return new CartRecoveryJob.Agents(updates, known);
    }

    /** Takes one line of a side file: its bytes, where it was read, and the time of reading. */
    @FunctionalInterface
    private interface LineHandler {
        void line(byte[] bytes, SourcePosition position, long now);
    }

    /**
     * Reads a side file (profiles, agents, outcomes) line by line as bytes, so that a bad byte is
     * that line's dead letter and not the end of the replay; a line over the input's limit is a
     * dead letter with its first bytes, never read whole. Blank lines are skipped.
     */
    private static void forEachLine(
            Path file, int maxBytes, LineHandler handler, Consumer<DeadLetter> oversized)
            throws IOException {
        if (file == null) {
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            LineReader lines = new LineReader(in, maxBytes);
            long line = 0;
            for (RawLine raw = lines.next(); raw != null; raw = lines.next()) {
                line++;
                if (raw.blank()) {
                    continue;
                }
                SourcePosition position = SourcePosition.fileLine(file.toString(), line);
                long now = System.currentTimeMillis();
                if (raw.truncated()) {
                    oversized.accept(
                            DeadLetter.truncated(
                                    RawRecords.oversized(raw.length(), maxBytes),
                                    raw.bytes(),
                                    raw.length(),
                                    position,
                                    now));
                } else {
                    handler.line(raw.bytes(), position, now);
                }
            }
        }
    }
}

package io.cartrecovery.replay;

import io.cartrecovery.config.JobSettings;
import io.cartrecovery.ingest.IngestWatermarks;
import io.cartrecovery.ingest.Ingested;
import io.cartrecovery.ingest.Ingestion;
import io.cartrecovery.job.CartRecoveryJob;
import io.cartrecovery.sinks.JsonLinesFileSink;
import io.cartrecovery.sinks.OutputFormats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * {@code tasks.jsonl}, {@code abandoned.jsonl} and {@code dlq.jsonl} into a folder, and facts into
 * ClickHouse when asked to. It runs in streaming mode on purpose: batch mode would fire timers in a
 * different order than live.
 */
public final class ReplayJob {
    public static final String TASKS = "tasks.jsonl";
    public static final String ABANDONED = "abandoned.jsonl";
    public static final String DEAD_LETTERS = "dlq.jsonl";

    private ReplayJob() {}

    /**
     * Runs a replay to the end and leaves the three result files in {@code outDir}.
     *
     * @return how many well-formed events of kinds the pipeline does not use were skipped
     */
    public static long run(
            StreamExecutionEnvironment env, Path input, Path outDir, JobSettings settings)
            throws Exception {
        return run(env, input, outDir, settings, null);
    }

    /**
     * Runs a replay to the end and leaves the three result files in {@code outDir}.
     *
     * @param facts where the tasks and abandoned carts also go (ClickHouse), or null
     * @return how many well-formed events of kinds the pipeline does not use were skipped
     */
    public static long run(
            StreamExecutionEnvironment env,
            Path input,
            Path outDir,
            JobSettings settings,
            CartRecoveryJob.Facts facts)
            throws Exception {
        build(env, input, outDir, settings, facts);
        JobExecutionResult result = env.execute("cart-recovery-replay");
        for (String file : List.of(TASKS, ABANDONED, DEAD_LETTERS)) {
            JsonLinesFileSink.mergeParts(outDir.resolve(file));
        }
        Long skipped = result.getAccumulatorResult(NumberedLines.SKIPPED);
        return skipped == null ? 0 : skipped;
    }

    public static void build(
            StreamExecutionEnvironment env,
            Path input,
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
                settings,
                new CartRecoveryJob.Outputs(
                        new JsonLinesFileSink<>(outDir.resolve(TASKS), OutputFormats::task),
                        new JsonLinesFileSink<>(
                                outDir.resolve(ABANDONED), OutputFormats::abandoned),
                        new JsonLinesFileSink<>(
                                outDir.resolve(DEAD_LETTERS), OutputFormats::deadLetter),
                        facts));
    }
}

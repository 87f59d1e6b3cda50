package io.cartrecovery.replay;

import io.cartrecovery.ingest.Ingested;
import io.cartrecovery.ingest.Ingestion;
import io.cartrecovery.ingest.SourcePosition;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * Ingests the lines of one replay file (as bytes), numbering them for dead-letter positions. Runs
 * with parallelism 1 right after the file source, so line numbers follow the file. Blank lines are
 * skipped but counted.
 */
final class NumberedLines extends RichFlatMapFunction<RawLine, Ingested> {
    private static final long serialVersionUID = 1L;

    /** Accumulator of skipped (unused) events, reported at the end of a replay. */
    static final String SKIPPED = "skipped-events";

    private final String file;
    private final Ingestion ingestion;
    private transient long line;
    private transient Counter skippedMetric;
    private transient LongCounter skipped;

    NumberedLines(String file, Ingestion ingestion) {
        this.file = file;
        this.ingestion = ingestion;
    }

    @Override
    public void open(OpenContext openContext) {
        skippedMetric = getRuntimeContext().getMetricGroup().counter(Ingestion.METRIC_SKIPPED);
        skipped = new LongCounter();
        getRuntimeContext().addAccumulator(SKIPPED, skipped);
    }

    @Override
    public void flatMap(RawLine raw, Collector<Ingested> out) {
        line++;
        if (raw.blank()) {
            return;
        }
        SourcePosition position = SourcePosition.fileLine(file, line);
        if (raw.truncated()) {
            out.collect(
                    ingestion.oversized(
                            raw.bytes(), raw.length(), position, System.currentTimeMillis()));
            return;
        }
        ingestion.ingest(
                raw.bytes(),
                position,
                System.currentTimeMillis(),
                out::collect,
                unused -> {
                    skippedMetric.inc();
                    skipped.add(1L);
                });
    }
}

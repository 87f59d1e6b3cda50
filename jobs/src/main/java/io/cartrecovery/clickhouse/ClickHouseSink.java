package io.cartrecovery.clickhouse;

import io.cartrecovery.config.ClickHouseSettings;
import java.io.IOException;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;

/**
 * Writes facts into their ClickHouse table in batches: when a batch is full, when the oldest
 * buffered row is {@code clickhouse.flush-interval} old, and before every checkpoint and at the end
 * of the input. So a checkpoint never completes with rows still buffered, and a restart from it
 * loses nothing: the rows after it are written again, and replace themselves (at least once, made
 * idempotent by the tables' keys).
 */
public final class ClickHouseSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    /** Counts retried inserts; a rising count means ClickHouse is slowing the job down. */
    public static final String METRIC_RETRIES = "clickhouseInsertRetries";

    private final ClickHouseSettings settings;
    private final FactTable<T> table;

    ClickHouseSink(ClickHouseSettings settings, FactTable<T> table) {
        this.settings = settings;
        this.table = table;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        Counter retries = context.metricGroup().counter(METRIC_RETRIES);
        return new Writer<>(
                new FactInserter<>(settings, table, retries::inc),
                context.getProcessingTimeService(),
                settings);
    }

    private static final class Writer<T> implements SinkWriter<T> {
        private final FactInserter<T> inserter;
        private final ProcessingTimeService time;
        private final int batchSize;
        private final long flushIntervalMillis;
        private boolean timerSet;

        Writer(FactInserter<T> inserter, ProcessingTimeService time, ClickHouseSettings settings) {
            this.inserter = inserter;
            this.time = time;
            this.batchSize = settings.batchSize();
            this.flushIntervalMillis = settings.flushInterval().toMillis();
        }

        @Override
        public void write(T fact, Context context) throws IOException, InterruptedException {
            inserter.add(fact);
            if (inserter.buffered() >= batchSize) {
                inserter.flush();
            } else if (!timerSet) {
                // Timers run in the task's thread, between records: no locking needed.
                timerSet = true;
                time.registerTimer(
                        time.getCurrentProcessingTime() + flushIntervalMillis,
                        now -> {
                            timerSet = false;
                            inserter.flush();
                        });
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            inserter.flush();
        }

        @Override
        public void close() {
            inserter.close();
        }
    }
}

package io.cartrecovery.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.junit.jupiter.api.Test;

/**
 * A split's records go out behind the reader's "active" ({@link NotingKafkaSource.ActiveFirst}): a
 * subtask waking from an idle spell says so before its records, not with its next watermark after
 * them. Whether Flink then sends the status downstream at once is Flink's; the Kafka tests with
 * idle partitions (KpiMinutesKafkaTest, LiveBoardKafkaTest, IdlePartitionRaceTest) cover the whole.
 */
class ActiveFirstTest {
    private final List<String> calls = new ArrayList<>();

    @Test
    void everyRecordGoesOutBehindTheReadersActive() {
        SourceOutput<String> split = new NotingKafkaSource.ActiveFirst<>(new Split(), new Reader());

        split.collect("a", 1L);
        split.collect("b");
        split.markIdle();
        split.emitWatermark(new Watermark(5L));

        assertThat(calls)
                .containsExactly(
                        "reader active",
                        "split record a@1",
                        "reader active",
                        "split record b",
                        "split idle",
                        "split watermark 5");
    }

    private final class Split implements SourceOutput<String> {
        @Override
        public void collect(String record) {
            calls.add("split record " + record);
        }

        @Override
        public void collect(String record, long timestamp) {
            calls.add("split record " + record + "@" + timestamp);
        }

        @Override
        public void emitWatermark(Watermark watermark) {
            calls.add("split watermark " + watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
            calls.add("split idle");
        }

        @Override
        public void markActive() {
            calls.add("split active");
        }
    }

    private final class Reader implements ReaderOutput<String> {
        @Override
        public void collect(String record) {
            calls.add("reader record " + record);
        }

        @Override
        public void collect(String record, long timestamp) {
            calls.add("reader record " + record + "@" + timestamp);
        }

        @Override
        public void emitWatermark(Watermark watermark) {
            calls.add("reader watermark " + watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
            calls.add("reader idle");
        }

        @Override
        public void markActive() {
            calls.add("reader active");
        }

        @Override
        public SourceOutput<String> createOutputForSplit(String splitId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void releaseOutputForSplit(String splitId) {}
    }
}

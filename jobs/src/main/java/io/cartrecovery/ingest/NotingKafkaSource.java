package io.cartrecovery.ingest;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A {@link KafkaSource} whose readers note their splits and which of them have handed on a record
 * ({@link ReaderSplits}), so the reader's main output does not go idle while a split has not
 * fetched its first records yet (docs/time.md, "Idle inputs"). Everything else is the Kafka
 * source's own: its enumerator, its splits and their serializers, so checkpoints and savepoints are
 * the same as without it.
 */
public final class NotingKafkaSource<T>
        implements Source<T, KafkaPartitionSplit, KafkaSourceEnumState>, ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    private final KafkaSource<T> kafka;
    private final boolean activeAhead;

    /** For inputs that move event time: the reader is marked active ahead of every record. */
    public NotingKafkaSource(KafkaSource<T> kafka) {
        this(kafka, true);
    }

    private NotingKafkaSource(KafkaSource<T> kafka, boolean activeAhead) {
        this.kafka = kafka;
        this.activeAhead = activeAhead;
    }

    /**
     * For reference data ({@link ReferenceWatermarks}): its splits are noted, but a record does not
     * mark the reader active. Once read, reference data holds event time back no more, however busy
     * its topic.
     */
    public static <T> NotingKafkaSource<T> referenceData(KafkaSource<T> kafka) {
        return new NotingKafkaSource<>(kafka, false);
    }

    @Override
    public Boundedness getBoundedness() {
        return kafka.getBoundedness();
    }

    @Override
    public SourceReader<T, KafkaPartitionSplit> createReader(SourceReaderContext context)
            throws Exception {
        return new NotingReader<>(
                kafka.createReader(context), ReaderSplits.startOnThisThread(), activeAhead);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context) {
        return kafka.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState state)
            throws Exception {
        return kafka.restoreEnumerator(context, state);
    }

    @Override
    public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return kafka.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return kafka.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return kafka.getProducedType();
    }

    // close() passes on whatever the Kafka reader's close throws, as SourceReader declares it.
    @SuppressWarnings("try")
    private static final class NotingReader<T> implements SourceReader<T, KafkaPartitionSplit> {
        private final SourceReader<T, KafkaPartitionSplit> kafka;
        private final ReaderSplits splits;
        private final boolean activeAhead;
        private ReaderOutput<T> lastOutput;
        private NotingOutput<T> noting;

        NotingReader(
                SourceReader<T, KafkaPartitionSplit> kafka,
                ReaderSplits splits,
                boolean activeAhead) {
            this.kafka = kafka;
            this.splits = splits;
            this.activeAhead = activeAhead;
        }

        @Override
        public void start() {
            kafka.start();
        }

        @Override
        public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
            if (output != lastOutput) {
                lastOutput = output;
                noting = new NotingOutput<>(output, splits, activeAhead);
            }
            return kafka.pollNext(noting);
        }

        @Override
        public List<KafkaPartitionSplit> snapshotState(long checkpointId) {
            return kafka.snapshotState(checkpointId);
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return kafka.isAvailable();
        }

        @Override
        public void addSplits(List<KafkaPartitionSplit> added) {
            for (KafkaPartitionSplit split : added) {
                long start = split.getStartingOffset();
                // From the earliest offset: the catch-up check starts at the log's beginning.
                long from = start == KafkaPartitionSplit.EARLIEST_OFFSET ? 0 : start;
                splits.added(split.splitId(), split.getTopic(), split.getPartition(), from);
            }
            kafka.addSplits(added);
        }

        @Override
        public void notifyNoMoreSplits() {
            kafka.notifyNoMoreSplits();
        }

        @Override
        public void handleSourceEvents(SourceEvent event) {
            kafka.handleSourceEvents(event);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            kafka.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void notifyCheckpointAborted(long checkpointId) throws Exception {
            kafka.notifyCheckpointAborted(checkpointId);
        }

        @Override
        public void pauseOrResumeSplits(Collection<String> pause, Collection<String> resume) {
            kafka.pauseOrResumeSplits(pause, resume);
        }

        @Override
        public void close() throws Exception {
            ReaderSplits.forgetOnThisThread();
            kafka.close();
        }
    }

    /**
     * The reader's output, noting each split that gets an output of its own (its first record), and
     * marking the reader active ahead of every record (unless it reads reference data).
     *
     * <p>Why ahead: Flink hands a record on before its watermark generator hears of it, so a source
     * subtask that was idle sends the records of its next poll while still idle and says "active"
     * only with its next watermark, after them. Downstream, an operator leaves idle channels out of
     * its watermark, so where two paths from the sources meet (the subtasks of a keyed shuffle) the
     * first to wake up could carry the watermark past records still in flight on the other: they
     * came late. Marked active first, the channel counts again at the watermark it had before the
     * spell until its own next watermark comes. The reader's {@code markActive} says "active" at
     * once when the subtask was idle, and is a field check when it was not; the main output's
     * generator marks it idle again at its next periodic emit when it should be.
     */
    private static final class NotingOutput<T> implements ReaderOutput<T> {
        private final ReaderOutput<T> output;
        private final ReaderSplits splits;
        private final boolean activeAhead;

        NotingOutput(ReaderOutput<T> output, ReaderSplits splits, boolean activeAhead) {
            this.output = output;
            this.splits = splits;
            this.activeAhead = activeAhead;
        }

        @Override
        public void collect(T record) {
            if (activeAhead) {
                output.markActive();
            }
            output.collect(record);
        }

        @Override
        public void collect(T record, long timestamp) {
            if (activeAhead) {
                output.markActive();
            }
            output.collect(record, timestamp);
        }

        @Override
        public void emitWatermark(Watermark watermark) {
            output.emitWatermark(watermark);
        }

        @Override
        public void markIdle() {
            output.markIdle();
        }

        @Override
        public void markActive() {
            output.markActive();
        }

        @Override
        public SourceOutput<T> createOutputForSplit(String splitId) {
            splits.handingOn(splitId);
            SourceOutput<T> split = output.createOutputForSplit(splitId);
            return activeAhead ? new ActiveFirst<>(split, output) : split;
        }

        @Override
        public void releaseOutputForSplit(String splitId) {
            splits.released(splitId);
            output.releaseOutputForSplit(splitId);
        }
    }

    /**
     * A split's output that marks the reader active ahead of each record ({@link NotingOutput}).
     */
    static final class ActiveFirst<T> implements SourceOutput<T> {
        private final SourceOutput<T> split;
        private final ReaderOutput<T> reader;

        ActiveFirst(SourceOutput<T> split, ReaderOutput<T> reader) {
            this.split = split;
            this.reader = reader;
        }

        @Override
        public void collect(T record) {
            reader.markActive();
            split.collect(record);
        }

        @Override
        public void collect(T record, long timestamp) {
            reader.markActive();
            split.collect(record, timestamp);
        }

        @Override
        public void emitWatermark(Watermark watermark) {
            split.emitWatermark(watermark);
        }

        @Override
        public void markIdle() {
            split.markIdle();
        }

        @Override
        public void markActive() {
            split.markActive();
        }
    }
}

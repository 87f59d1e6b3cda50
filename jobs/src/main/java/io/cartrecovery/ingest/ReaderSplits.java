package io.cartrecovery.ingest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Kafka splits one source reader was given and which of them have handed on a record yet, for
 * the watermark generators of the same source subtask ({@link IdleWhenCaughtUp}): a reader's main
 * output may only go idle once every split that has handed on nothing is read to its end ({@link
 * PartitionIdleness}).
 *
 * <p>The reader and its generators are called on the subtask's task thread, so the reader leaves
 * its splits on that thread ({@link #current}) and the generators pick them up there: Flink gives a
 * watermark generator no handle on its reader. Not thread-safe, and needs not be.
 */
public final class ReaderSplits {
    private static final ThreadLocal<ReaderSplits> CURRENT = new ThreadLocal<>();

    /** Splits by id, at the offset each starts from (negative: resolved by the reader). */
    private final Map<String, SourcePosition> splits = new LinkedHashMap<>();

    private final Set<String> handingOn = new HashSet<>();

    /** For readers of reference data ({@link ReferenceWatermarks}). */
    private final InitialRead initialRead = new InitialRead();

    /** A new reader's splits, left on the calling (task) thread for its generators. */
    static ReaderSplits startOnThisThread() {
        ReaderSplits splits = new ReaderSplits();
        CURRENT.set(splits);
        return splits;
    }

    /** The reader on this thread closed. */
    static void forgetOnThisThread() {
        CURRENT.remove();
    }

    /** The splits of the reader running on this thread, or null when it is not a noting reader. */
    static ReaderSplits current() {
        return CURRENT.get();
    }

    void added(String splitId, String topic, int partition, long startingOffset) {
        splits.put(splitId, SourcePosition.kafka(topic, partition, startingOffset));
        initialRead.started(topic, partition, startingOffset);
    }

    void handingOn(String splitId) {
        handingOn.add(splitId);
    }

    void released(String splitId) {
        SourcePosition split = splits.remove(splitId);
        if (split != null) {
            initialRead.released(split.source(), split.partition());
        }
        handingOn.remove(splitId);
    }

    /** Whether the reader has read what its splits held at the start, as far as it was told. */
    InitialRead initialRead() {
        return initialRead;
    }

    /** The splits that have handed on nothing yet, at their starting offsets. */
    List<SourcePosition> unstarted() {
        List<SourcePosition> unstarted = new ArrayList<>();
        splits.forEach(
                (id, position) -> {
                    if (!handingOn.contains(id)) {
                        unstarted.add(position);
                    }
                });
        return unstarted;
    }
}

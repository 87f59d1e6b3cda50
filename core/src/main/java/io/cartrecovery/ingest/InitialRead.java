package io.cartrecovery.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether a reader of reference data (customer profiles, the agents roster) has read what its
 * partitions held when the job started (docs/time.md, "Reference data"). Until it has, the reader
 * holds the job's event time back, so no cart is enriched and no call assigned without the
 * reference data that was there before: as in a replay, which loads its files before the first
 * event. Once it has, it holds nothing, for good: later records are updates, applied when they
 * come, and a busy reference topic never holds event time back.
 *
 * <p>One per reader, over all its partitions: read once it has been given partitions and each is
 * read to its end, from where it starts or from after the last record it handed on (so a partition
 * that is empty, or ends in records a reader skips, counts as read only if the reader was handed
 * every record: tombstones must hand on their position too). A partition starting at an offset the
 * reader resolves itself (negative) is taken as read: there is nothing to compare with.
 *
 * <p>Plain code, no Flink.
 */
public final class InitialRead {
    private record Partition(String source, int partition) {}

    /** The offset of the next record to read, per partition the reader was given. */
    private final Map<Partition, Long> next = new LinkedHashMap<>();

    private boolean read;

    /** The reader was given a partition, to read from {@code offset}. */
    public void started(String source, int partition, long offset) {
        next.putIfAbsent(new Partition(source, partition), offset);
    }

    /** The reader let go of a partition. */
    public void released(String source, int partition) {
        next.remove(new Partition(source, partition));
    }

    /** A record was handed on from {@code position} (null, file or stage positions are not). */
    public void seen(SourcePosition position) {
        if (position != null && !position.isFile() && !position.isStage()) {
            next.put(new Partition(position.source(), position.partition()), position.offset() + 1);
        }
    }

    /** Whether the reader has read what its partitions held at the start; once true, always. */
    public boolean read(CatchUp catchUp) {
        if (!read) {
            read = !next.isEmpty() && everyPartitionAtItsEnd(catchUp);
        }
        return read;
    }

    private boolean everyPartitionAtItsEnd(CatchUp catchUp) {
        for (Map.Entry<Partition, Long> e : next.entrySet()) {
            long offset = e.getValue();
            if (offset >= 0
                    && !catchUp.caughtUp(e.getKey().source(), e.getKey().partition(), offset)) {
                return false;
            }
        }
        return true;
    }
}

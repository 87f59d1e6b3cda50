package io.cartrecovery.ingest;

/**
 * When one source partition may stop holding event time back (docs/time.md, "Idle inputs").
 *
 * <p>Quiet is not enough: a partition with nothing new for the idle timeout is idle only when its
 * reader has also read all the partition holds. A reader cut off from its broker, or paused on a
 * loaded machine, reads nothing for a while just as a quiet shop does; taking it for idle lets the
 * other partitions carry event time past records it has not read yet, and those then come late (a
 * cart reported abandoned before its purchase is read). So a quiet partition with unread records,
 * or one whose broker does not answer, keeps holding event time where it is.
 *
 * <p>Positions that are not Kafka offsets (file lines), and a reader that has handed on nothing
 * yet, have no end to compare with: they are idle after the timeout alone, as before.
 *
 * <p>Plain code, no Flink: one per source partition, on the partition reader's activity clock.
 */
public final class PartitionIdleness {
    private final long timeout;
    private long lastRecordAt;
    private SourcePosition last;

    /**
     * @param timeout how long without a record before a partition can be idle, in milliseconds
     * @param now the activity clock's time at the start
     */
    public PartitionIdleness(long timeout, long now) {
        if (timeout <= 0) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.timeout = timeout;
        this.lastRecordAt = now;
    }

    /**
     * A record was handed on.
     *
     * @param position where it came from, or null when the source does not say
     */
    public void recordSeen(SourcePosition position, long now) {
        lastRecordAt = now;
        if (position != null && !position.isStage()) {
            last = position;
        }
    }

    /** Whether the partition may be idle now. */
    public boolean idle(long now, CatchUp catchUp) {
        if (now - lastRecordAt < timeout) {
            return false;
        }
        if (last == null || last.isFile()) {
            return true;
        }
        return catchUp.caughtUp(last.source(), last.partition(), last.offset() + 1);
    }
}

package io.cartrecovery.ingest;

import java.util.Collection;
import java.util.List;

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
 * <p>A reader's main output hands on nothing itself (its splits have outputs of their own, created
 * at their first record): it is idle after the timeout once every split of the reader that has
 * handed on nothing yet is read to its end from where it starts, so a split that is slow to fetch
 * its first records after a start or a restart holds event time too. A split starting at a position
 * the reader resolves later (the committed or the latest offset) is taken as read. Positions that
 * are not Kafka offsets (file lines) have no end to compare with: idle after the timeout alone, as
 * before.
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
        return idle(now, catchUp, List.of());
    }

    /**
     * Whether the partition, or the reader's main output, may be idle now.
     *
     * @param unstarted for a main output (nothing handed on), the splits of its reader that have
     *     handed on nothing yet, each at the offset it starts from; a negative offset is one the
     *     reader resolves itself
     */
    public boolean idle(long now, CatchUp catchUp, Collection<SourcePosition> unstarted) {
        if (now - lastRecordAt < timeout) {
            return false;
        }
        if (last == null) {
            for (SourcePosition split : unstarted) {
                if (split.offset() >= 0
                        && !catchUp.caughtUp(split.source(), split.partition(), split.offset())) {
                    return false;
                }
            }
            return true;
        }
        if (last.isFile()) {
            return true;
        }
        return catchUp.caughtUp(last.source(), last.partition(), last.offset() + 1);
    }
}

package io.cartrecovery.ingest;

/**
 * Whether a reader has read everything a source partition holds: the question {@link
 * PartitionIdleness} asks before it lets a quiet partition stop holding event time back.
 */
@FunctionalInterface
public interface CatchUp {

    /** For sources that cannot say (files): never caught up. */
    CatchUp UNKNOWN = (source, partition, nextOffset) -> false;

    /**
     * Never blocks: the answer of the latest check, which may be under way.
     *
     * @param nextOffset the offset after the last record the reader has handed on
     * @return true only when a recent check found no record at or past {@code nextOffset} that a
     *     reader could still read; false when there is one, or when nobody could tell (a broker
     *     that does not answer, a check not done yet)
     */
    boolean caughtUp(String source, int partition, long nextOffset);
}

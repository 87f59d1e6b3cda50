package io.cartrecovery.ingest;

import java.io.Serializable;

/**
 * When {@link SeenEventIds} forgets an event id: {@code retention} of event time after the later of
 * the event's time and the watermark, rounded up to a whole bucket of a quarter of the retention.
 *
 * <p>Why buckets: a cleanup timer per event made de-duplication cost a timer registration and a
 * firing per event. Rounded up, all ids of a cart seen in one bucket share one expiry, so one timer
 * (and one sweep of the cart's ids) serves them all. Rounding up only ever remembers an id longer,
 * by less than a bucket, so a repeat within the retention is still always dropped.
 */
public final class DedupExpiry implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Buckets per retention: state lives at most a quarter longer, timers are that much fewer. */
    static final int BUCKETS_PER_RETENTION = 4;

    private final long retentionMillis;
    private final long bucketMillis;

    public DedupExpiry(long retentionMillis) {
        if (retentionMillis <= 0) {
            throw new IllegalArgumentException("retention must be positive: " + retentionMillis);
        }
        this.retentionMillis = retentionMillis;
        this.bucketMillis = Math.max(1, retentionMillis / BUCKETS_PER_RETENTION);
    }

    /** The event time at which an id seen with this event time and watermark may be forgotten. */
    public long forgetAt(long eventTime, long watermark) {
        long due = Math.max(eventTime, watermark) + retentionMillis;
        return -Math.floorDiv(-due, bucketMillis) * bucketMillis;
    }

    /** Whether an expiry can fall at this time: every one is a whole number of buckets. */
    public boolean isBucketEnd(long timestamp) {
        return Math.floorMod(timestamp, bucketMillis) == 0;
    }
}

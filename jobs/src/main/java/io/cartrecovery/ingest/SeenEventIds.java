package io.cartrecovery.ingest;

import io.cartrecovery.keys.TrackedCartKey;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * The event ids a cart key has seen, for dropping repeats (trackers retry; producers without
 * idempotence duplicate). One way of de-duplicating for every keyed operator that needs it: the
 * cart tracker for all events, {@link Deduplicator} for the few the CEP patterns read.
 *
 * <p>An id is remembered for {@code retention} of event time after the later of its event time and
 * the watermark, rounded up to a bucket ({@link DedupExpiry}), then forgotten on an event-time
 * timer: state stays bounded and a replay drops exactly what the live run dropped. The ids of a key
 * that expire in the same bucket share one timer, so a key costs a timer per bucket it was active
 * in, not one per event. Timers at a bucket's end belong to this class: the operator calls {@link
 * #onTimer} for each of its timers and must not delete one at a bucket's end.
 */
public final class SeenEventIds {
    /**
     * {@link #fingerprint} of an event id to the event time at which it is forgotten. A
     * fingerprint, not the id: 8 bytes instead of the id's 20-40, for every event of the last
     * retention (the largest part of the job's state at a busy store's volume).
     */
    public static final MapStateDescriptor<Long, Long> STATE =
            new MapStateDescriptor<>("seen-event-id-fingerprints", Types.LONG, Types.LONG);

    /** Slots of {@link #armedKeys}: a few thousand keys active at once share it. */
    private static final int ARMED_SLOTS = 4096;

    private final DedupExpiry expiry;
    private final MapState<Long, Long> seen;

    /**
     * The cleanup timer this subtask last set for a key, by the key's hash (a direct-mapped cache,
     * not state). With RocksDB, setting a timer a key already has still serializes it and writes
     * it, once per event; the cache skips that for the events of a key inside one bucket. It only
     * skips: a key it forgot (a collision, a restore) sets its timer again, which is a no-op, and a
     * timer it remembers cannot have fired, as a fired bucket is behind the watermark and every
     * later event's bucket is after it. These timers are never deleted.
     */
    private final TrackedCartKey[] armedKeys = new TrackedCartKey[ARMED_SLOTS];

    private final long[] armedAt = new long[ARMED_SLOTS];

    private SeenEventIds(DedupExpiry expiry, MapState<Long, Long> seen) {
        this.expiry = expiry;
        this.seen = seen;
    }

    /** The ids in the running operator's keyed state; call from {@code open}. */
    public static SeenEventIds open(RuntimeContext context, Duration retention) {
        return new SeenEventIds(new DedupExpiry(retention.toMillis()), context.getMapState(STATE));
    }

    /**
     * Whether this is the first time the current key sees the id; if so, it is remembered and its
     * cleanup timer set (a timer the key already has for this bucket is a no-op).
     *
     * @param key the current key
     */
    public boolean firstSighting(
            TrackedCartKey key, String eventId, long eventTime, TimerService timers)
            throws Exception {
        long id = fingerprint(eventId);
        if (seen.contains(id)) {
            return false;
        }
        long forgetAt = expiry.forgetAt(eventTime, timers.currentWatermark());
        seen.put(id, forgetAt);
        int slot = (key.hashCode() & 0x7fffffff) % ARMED_SLOTS;
        if (armedAt[slot] != forgetAt || !key.equals(armedKeys[slot])) {
            timers.registerEventTimeTimer(forgetAt);
            armedKeys[slot] = key;
            armedAt[slot] = forgetAt;
        }
        return true;
    }

    /** Whether an event-time timer at this time may be one of this class's. */
    public boolean ownsTimerAt(long timestamp) {
        return expiry.isBucketEnd(timestamp);
    }

    /** Forgets the ids due by this timer's time; cheap to call for timers that are not ours. */
    public void onTimer(long timestamp) throws Exception {
        if (!ownsTimerAt(timestamp)) {
            return;
        }
        for (Iterator<Map.Entry<Long, Long>> it = seen.iterator(); it.hasNext(); ) {
            if (it.next().getValue() <= timestamp) {
                it.remove();
            }
        }
        if (seen.isEmpty()) {
            seen.clear();
        }
    }

    /**
     * A 64-bit FNV-1a hash of the id's characters. Two ids of one cart key share a fingerprint, and
     * the later is then taken for a repeat, with a chance of about n²/2^65 for n ids of a key
     * within the retention: for a thousand, one in 3·10^13. That is far below any other way an
     * event can go missing, and it buys a fifth of the bytes.
     */
    public static long fingerprint(String eventId) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < eventId.length(); i++) {
            hash ^= eventId.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}

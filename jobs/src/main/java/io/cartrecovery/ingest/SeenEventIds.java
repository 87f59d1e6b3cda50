package io.cartrecovery.ingest;

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
    /** Event id to the event time at which it is forgotten. */
    public static final MapStateDescriptor<String, Long> STATE =
            new MapStateDescriptor<>("seen-event-ids", Types.STRING, Types.LONG);

    private final DedupExpiry expiry;
    private final MapState<String, Long> seen;

    private SeenEventIds(DedupExpiry expiry, MapState<String, Long> seen) {
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
     */
    public boolean firstSighting(String eventId, long eventTime, TimerService timers)
            throws Exception {
        if (seen.contains(eventId)) {
            return false;
        }
        long forgetAt = expiry.forgetAt(eventTime, timers.currentWatermark());
        seen.put(eventId, forgetAt);
        timers.registerEventTimeTimer(forgetAt);
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
        for (Iterator<Map.Entry<String, Long>> it = seen.iterator(); it.hasNext(); ) {
            if (it.next().getValue() <= timestamp) {
                it.remove();
            }
        }
        if (seen.isEmpty()) {
            seen.clear();
        }
    }
}

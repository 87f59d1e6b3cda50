package io.cartrecovery.ingest;

import io.cartrecovery.events.ClickEvent;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops repeats of an event id (trackers retry; producers without idempotence duplicate).
 *
 * <p>Keyed by {@link ClickEvent#cartKey()}, not by event id: a duplicate has the same cart key as
 * its original, and keeping one cart's events on one path keeps their order for the cart tracker
 * downstream (a shuffle by event id would interleave them at random, and derived cart ids depend on
 * the first event seen). An id is remembered for {@code retention} of event time after the later of
 * its event time and the watermark, rounded up to a bucket ({@link DedupExpiry}), then forgotten on
 * an event-time timer: state stays bounded and a replay drops exactly what the live run dropped.
 * The ids of a cart that expire in the same bucket share one timer, so a cart costs a timer per
 * bucket it was active in, not one per event.
 */
public final class Deduplicator extends KeyedProcessFunction<String, ClickEvent, ClickEvent> {
    private static final long serialVersionUID = 1L;

    public static final String UID = "deduplicate";
    public static final String METRIC_DUPLICATES = "duplicateEvents";

    /** Event id to the event time at which it is forgotten. */
    static final MapStateDescriptor<String, Long> SEEN =
            new MapStateDescriptor<>("seen-event-ids", Types.STRING, Types.LONG);

    private final DedupExpiry expiry;
    private transient MapState<String, Long> seen;
    private transient Counter duplicates;

    public Deduplicator(Duration retention) {
        this.expiry = new DedupExpiry(retention.toMillis());
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getMapState(SEEN);
        duplicates = getRuntimeContext().getMetricGroup().counter(METRIC_DUPLICATES);
    }

    @Override
    public void processElement(ClickEvent event, Context ctx, Collector<ClickEvent> out)
            throws Exception {
        if (seen.contains(event.eventId())) {
            duplicates.inc();
            return;
        }
        long forgetAt = expiry.forgetAt(event.eventTime(), ctx.timerService().currentWatermark());
        seen.put(event.eventId(), forgetAt);
        // Registering a timer the cart already has for this bucket is a no-op.
        ctx.timerService().registerEventTimeTimer(forgetAt);
        out.collect(event);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ClickEvent> out)
            throws Exception {
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

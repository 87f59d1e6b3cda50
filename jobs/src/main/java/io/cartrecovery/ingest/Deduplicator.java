package io.cartrecovery.ingest;

import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.keys.TrackedCartKey;
import io.cartrecovery.serialization.KeyTypes;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops repeats of an event id ({@link SeenEventIds}), as an operator of its own: for the few event
 * types the CEP patterns read, which reach them on a path of their own (the cart tracker
 * de-duplicates all events itself, in the same operator that applies them). Repeats are counted
 * where all events are, in the tracker's {@code duplicateEvents}.
 *
 * <p>Keyed by {@link ClickEvent#trackedCart()}, not by event id: a duplicate has the same cart key
 * as its original, and keeping one cart's events on one path keeps their order for the patterns
 * downstream.
 */
public final class Deduplicator
        extends KeyedProcessFunction<TrackedCartKey, ClickEvent, ClickEvent> {
    private static final long serialVersionUID = 1L;

    private final Duration retention;
    private transient SeenEventIds seen;

    public Deduplicator(Duration retention) {
        this.retention = retention;
    }

    @Override
    public void open(OpenContext openContext) {
        seen = SeenEventIds.open(getRuntimeContext(), retention);
    }

    @Override
    public void processElement(ClickEvent event, Context ctx, Collector<ClickEvent> out)
            throws Exception {
        if (seen.firstSighting(
                event.trackedCart(), event.eventId(), event.eventTime(), ctx.timerService())) {
            out.collect(event);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ClickEvent> out)
            throws Exception {
        KeyTypes.requireTyped(ctx.getCurrentKey());
        seen.onTimer(timestamp);
    }
}

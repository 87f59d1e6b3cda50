package io.cartrecovery.detection;

import io.cartrecovery.config.JobSettings;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.ingest.DedupExpiry;
import io.cartrecovery.ingest.SeenEventIds;
import io.cartrecovery.ingest.SourcePosition;
import io.cartrecovery.keys.TrackedCartKey;
import io.cartrecovery.serialization.KeyTypes;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Follows each cart (keyed by {@link ClickEvent#trackedCart()}) and reports it abandoned when it
 * has been quiet for its gap, in event time. The decisions are {@link CartRules}' (plain code in
 * core); this operator loads and stores each key's {@link CartState}, keeps the key's one
 * event-time timer at the first thing due, drops repeats of an event id, and routes the rules'
 * effects. Reason hints come in on the second input from the CEP patterns of {@link
 * ReasonPatterns}; the long-checkout and unexpected-costs hints the rules find themselves ({@link
 * LongCheckout}, {@link UnexpectedCosts}).
 *
 * <p>Repeats of an event id are dropped here as they arrive ({@link SeenIds}), in the operator that
 * applies the events: a de-duplicator of its own in front would cost every event a serialization
 * more, as this operator's two inputs keep it from chaining to one.
 *
 * <p>Cost: everything of a key is one value ({@link CartState}), read and written once per event,
 * and a key has one event-time timer. The timer is lazy ({@link DeadlineTimer}): activity that
 * pushes the deadline later leaves it where it is, and it is set again when it fires early. A cart
 * active for less than its gap costs one timer, and an event costs no timer operation at all unless
 * it moves the first thing due earlier. Once reported, a cart is kept until {@code lastActivity +
 * taskRetention}; a purchase or an emptied cart forgets it at once; the ids seen are kept for the
 * de-duplication's retention.
 *
 * <p>Late events (behind this operator's watermark) wait {@link #LATE_GRACE_MILLIS} of processing
 * time for the rest of their burst, then are applied in event-time order: a late purchase still
 * cancels, a late item still counts, a cart already reported is reported again under the same cart
 * id with its corrected contents, and a deadline the watermark has passed is decided at once
 * (docs/time.md says why this one wait is in processing time).
 */
public final class CartTracker
        extends KeyedCoProcessFunction<TrackedCartKey, ClickEvent, ReasonSignal, AbandonedCart> {
    private static final long serialVersionUID = 1L;

    public static final String UID = "cart-tracker";

    /** How long late events wait for the rest of their burst, in processing time. */
    static final long LATE_GRACE_MILLIS = 1000;

    public static final String METRIC_ABANDONED = "cartsAbandoned";
    public static final String METRIC_LATE = "lateEvents";
    public static final String METRIC_DUPLICATES = "duplicateEvents";

    /** Ids forgotten before their retention to keep a key's ids at {@link SeenIds#MAX_IDS}. */
    public static final String METRIC_IDS_FORGOTTEN_EARLY = "eventIdsForgottenEarly";

    /** Carts that had a task out and then ended: their tasks are cancelled. */
    public static final OutputTag<CartClosed> CLOSED = new OutputTag<>("closed-carts") {};

    /**
     * Carts as they open, for the abandonment rate; a cart closed and opened again counts again, as
     * it may be abandoned again.
     */
    public static final OutputTag<CartOpened> OPENED = new OutputTag<>("opened-carts") {};

    /** Events that cannot apply to their cart (a currency other than the cart's). */
    public static final OutputTag<DeadLetter> REJECTED = new OutputTag<>("rejected-events") {};

    /** Everything of a key: its cart, held events and signals, ids seen. */
    static final ValueStateDescriptor<CartState> CART =
            new ValueStateDescriptor<>("cart", CartStateSerializer.INSTANCE);

    private final CartRules rules;
    private final DedupExpiry dedupExpiry;

    private transient ValueState<CartState> keys;
    private transient Counter abandonedCount;
    private transient Counter lateCount;
    private transient Counter duplicates;
    private transient Counter idsForgottenEarly;
    private transient Routing routing;

    public CartTracker(JobSettings settings) {
        this.rules =
                new CartRules(
                        settings.gaps(),
                        settings.taskRetention().toMillis(),
                        new LongCheckout(
                                settings.longCheckout().toMillis(),
                                settings.signalWindow().toMillis()),
                        new UnexpectedCosts(settings.shippingSilence().toMillis()));
        this.dedupExpiry = new DedupExpiry(settings.dedupRetention().toMillis());
    }

    @Override
    public void open(OpenContext openContext) {
        keys = getRuntimeContext().getState(CART);
        abandonedCount = getRuntimeContext().getMetricGroup().counter(METRIC_ABANDONED);
        lateCount = getRuntimeContext().getMetricGroup().counter(METRIC_LATE);
        duplicates = getRuntimeContext().getMetricGroup().counter(METRIC_DUPLICATES);
        idsForgottenEarly =
                getRuntimeContext().getMetricGroup().counter(METRIC_IDS_FORGOTTEN_EARLY);
        routing = new Routing(abandonedCount);
    }

    @Override
    public void processElement1(ClickEvent event, Context ctx, Collector<AbandonedCart> out)
            throws Exception {
        CartState key = orNew(keys.value());
        long watermark = ctx.timerService().currentWatermark();
        long fingerprint = SeenEventIds.fingerprint(event.eventId());
        if (SeenIds.contains(key.seenIds, fingerprint)) {
            duplicates.inc();
            return;
        }
        long[] seen = SeenIds.forgetDue(key.seenIds, watermark);
        if (SeenIds.full(seen)) {
            idsForgottenEarly.inc();
        }
        key.seenIds =
                SeenIds.add(seen, fingerprint, dedupExpiry.forgetAt(event.eventTime(), watermark));
        if (rules.event(key, event, watermark, routing.to(ctx, out))) {
            lateCount.inc();
            // Late events come in bursts (a source waking up after idleness): an add and the
            // purchase right after it. They are held a moment in processing time and then applied
            // together in event-time order, so the purchase is seen before any deadline check.
            ctx.timerService()
                    .registerProcessingTimeTimer(
                            ctx.timerService().currentProcessingTime() + LATE_GRACE_MILLIS);
        }
        store(key, ctx);
    }

    @Override
    public void processElement2(ReasonSignal signal, Context ctx, Collector<AbandonedCart> out)
            throws Exception {
        CartState key = orNew(keys.value());
        long watermark = ctx.timerService().currentWatermark();
        rules.signal(key, signal, watermark, routing.to(ctx, out));
        store(key, ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AbandonedCart> out)
            throws Exception {
        KeyTypes.requireTyped(ctx.getCurrentKey());
        CartState key = keys.value();
        if (key == null) {
            return; // a timer of an older version, for a key since forgotten
        }
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME && DeadlineTimer.armedAt(key) == timestamp) {
            key.deadlineTimer = DeadlineTimer.field(0);
        }
        rules.timer(key, ctx.timerService().currentWatermark(), routing.to(ctx, out));
        store(key, ctx);
    }

    private static CartState orNew(CartState key) {
        return key != null ? key : new CartState();
    }

    /**
     * Writes the key's value back, or clears it once nothing is left, and keeps its one event-time
     * timer at or before the first thing due.
     */
    private void store(CartState key, Context ctx) throws Exception {
        long due = rules.firstDue(key);
        long armed = DeadlineTimer.armedAt(key);
        if (due == Long.MAX_VALUE) {
            if (armed != 0) {
                ctx.timerService().deleteEventTimeTimer(armed);
            }
            keys.clear();
            return;
        }
        if (DeadlineTimer.needsTimer(armed, due)) {
            if (armed != 0) {
                ctx.timerService().deleteEventTimeTimer(armed);
            }
            ctx.timerService().registerEventTimeTimer(due);
            armed = due;
        }
        key.deadlineTimer = DeadlineTimer.field(armed);
        keys.update(key);
    }

    /** The rules' effects to this operator's outputs, for the callback under way. */
    private static final class Routing implements CartRules.Effects {
        private final Counter abandonedCount;
        private Context ctx;
        private Collector<AbandonedCart> out;

        Routing(Counter abandonedCount) {
            this.abandonedCount = abandonedCount;
        }

        Routing to(Context ctx, Collector<AbandonedCart> out) {
            this.ctx = ctx;
            this.out = out;
            return this;
        }

        @Override
        public void abandoned(AbandonedCart cart) {
            out.collect(cart);
            abandonedCount.inc();
        }

        @Override
        public void opened(CartOpened cart) {
            ctx.output(OPENED, cart);
        }

        @Override
        public void closed(CartClosed cart) {
            ctx.output(CLOSED, cart);
        }

        @Override
        public void rejected(ClickEvent event, String reason) {
            ctx.output(
                    REJECTED,
                    new DeadLetter(
                            reason,
                            ClickEventJson.toJson(event),
                            SourcePosition.stage(UID, event.eventTime()),
                            now()));
        }

        @Override
        public long now() {
            return System.currentTimeMillis();
        }
    }
}

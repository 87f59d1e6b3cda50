package io.cartrecovery.detection;

import io.cartrecovery.config.JobSettings;
import io.cartrecovery.events.Amounts;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.events.ContactDetails;
import io.cartrecovery.events.EventType;
import io.cartrecovery.events.Stage;
import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.ingest.DedupExpiry;
import io.cartrecovery.ingest.SeenEventIds;
import io.cartrecovery.ingest.SourcePosition;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Follows each cart (keyed by {@link ClickEvent#cartKey()}) and reports it abandoned when it has
 * been quiet for its gap, in event time. Reason hints come in on the second input from the CEP
 * patterns of {@link ReasonPatterns}; the long-checkout and unexpected-costs hints it finds itself
 * ({@link LongCheckout}, {@link UnexpectedCosts}).
 *
 * <p>Repeats of an event id are dropped here as they arrive ({@link SeenIds}), in the operator that
 * applies the events: a de-duplicator of its own in front would cost every event a serialization
 * more, as this operator's two inputs keep it from chaining to one.
 *
 * <p>Order: events and signals are held until the watermark passes them, then applied in event-time
 * order (events before signals of the same millisecond, both before the gap deadline of that
 * millisecond). So the outcome depends only on event times, not on how the two inputs happened to
 * interleave: a replay gives what the live run gives, and a signal about events before a deadline
 * is always applied before the deadline fires (a CEP operator emits its matches before it forwards
 * the watermark that completed them).
 *
 * <p>Cost: everything of a key is one value ({@link CartState}), read and written once per event,
 * and a key has one event-time timer ({@link #schedule}). Held events need no timer of their own:
 * whatever the watermark has passed is applied at the key's next event, signal or timer, and the
 * key's timer is set no later than the first moment a held event could decide something (the cart
 * it opens, the gap it would start, a purchase that cancels a task already out). Until then
 * applying it or not changes no output, only when the cart's own state catches up.
 *
 * <p>The timer is lazy ({@link DeadlineTimer}): activity that pushes the deadline later leaves it
 * where it is, and it is set again when it fires early. A cart active for less than its gap costs
 * one timer, and an event costs no timer operation at all unless it moves the first thing due
 * earlier. Once reported, a cart is kept until {@code lastActivity + taskRetention}; a purchase or
 * an emptied cart forgets it at once; the ids seen are kept for the de-duplication's retention.
 *
 * <p>Late events (behind this operator's watermark) wait {@link #LATE_GRACE_MILLIS} of processing
 * time for the rest of their burst, then are applied in event-time order: a late purchase still
 * cancels, a late item still counts, a cart already reported is reported again under the same cart
 * id with its corrected contents, and a deadline the watermark has passed is decided at once.
 */
public final class CartTracker
        extends KeyedCoProcessFunction<String, ClickEvent, ReasonSignal, AbandonedCart> {
    private static final long serialVersionUID = 1L;

    public static final String UID = "cart-tracker";

    /** How long late events wait for the rest of their burst, in processing time. */
    static final long LATE_GRACE_MILLIS = 1000;

    /**
     * How long past its last held event a key without a cart keeps its timer away, in event time: a
     * browsing visitor's events are dropped once the watermark has passed them, by one timer per
     * minute of browsing instead of one per event.
     */
    static final long IDLE_HOLD_MILLIS = 60_000;

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

    private final GapPolicy gaps;
    private final long retentionMillis;
    private final DedupExpiry dedupExpiry;
    private final LongCheckout longCheckout;
    private final UnexpectedCosts unexpectedCosts;

    private transient ValueState<CartState> keys;
    private transient Counter abandonedCount;
    private transient Counter lateCount;
    private transient Counter duplicates;
    private transient Counter idsForgottenEarly;

    public CartTracker(JobSettings settings) {
        this.gaps = settings.gaps();
        this.retentionMillis = settings.taskRetention().toMillis();
        this.dedupExpiry = new DedupExpiry(settings.dedupRetention().toMillis());
        this.longCheckout =
                new LongCheckout(
                        settings.longCheckout().toMillis(), settings.signalWindow().toMillis());
        this.unexpectedCosts = new UnexpectedCosts(settings.shippingSilence().toMillis());
    }

    @Override
    public void open(OpenContext openContext) {
        keys = getRuntimeContext().getState(CART);
        abandonedCount = getRuntimeContext().getMetricGroup().counter(METRIC_ABANDONED);
        lateCount = getRuntimeContext().getMetricGroup().counter(METRIC_LATE);
        duplicates = getRuntimeContext().getMetricGroup().counter(METRIC_DUPLICATES);
        idsForgottenEarly =
                getRuntimeContext().getMetricGroup().counter(METRIC_IDS_FORGOTTEN_EARLY);
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
        applyHeld(key, watermark, ctx, out);
        if (key.held == null) {
            key.held = new ArrayList<>(2);
        }
        TimeOrder.insert(key.held, event, ClickEvent::eventTime);
        if (event.eventTime() <= watermark) {
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
        applyHeld(key, watermark, ctx, out);
        if (signal.effectiveTime() <= watermark) {
            apply(key, signal);
        } else {
            if (key.heldSignals == null) {
                key.heldSignals = new ArrayList<>(1);
            }
            TimeOrder.insert(key.heldSignals, signal, ReasonSignal::effectiveTime);
        }
        store(key, ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AbandonedCart> out)
            throws Exception {
        CartState key = keys.value();
        if (key == null) {
            return; // a timer of an older version, for a key since forgotten
        }
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME && DeadlineTimer.armedAt(key) == timestamp) {
            key.deadlineTimer = DeadlineTimer.field(0);
        }
        long watermark = ctx.timerService().currentWatermark();
        applyHeld(key, watermark, ctx, out);
        // Whatever else is due by now: a deadline the watermark has passed (after a jump, or for a
        // late cart), and the ids past their retention.
        while (key.hasCart() && key.deadline != 0 && key.deadline <= watermark) {
            deadlineReached(key, ctx, out);
        }
        key.seenIds = SeenIds.forgetDue(key.seenIds, watermark);
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
        long due = firstDue(key);
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

    /**
     * The first event time at which something of the key must be decided, or {@link Long#MAX_VALUE}
     * when nothing is left: the cart's deadline; the time of the held event that opens a cart (its
     * opening counts towards the abandonment rate as soon as the watermark passes it); for each
     * held event that changes a cart, the deadline it would start at the earliest (its time plus
     * the gap of the furthest stage reached by then, so no later event can make the real deadline
     * earlier), or, once a task is out, its own time (a purchase cancels at once); without a cart,
     * the held signals, and the ids' expiry, when the value can go.
     */
    private long firstDue(CartState key) {
        if (key.isEmpty()) {
            return Long.MAX_VALUE;
        }
        long due = key.hasCart() && key.deadline != 0 ? key.deadline : Long.MAX_VALUE;
        // The held events are walked as they will be applied, as far as their types tell: a
        // purchase closes the cart, the next event carrying items opens another.
        boolean anyCart = key.hasCart();
        boolean open = key.hasCart();
        boolean taskOut = key.taskOut;
        Stage stage = open ? key.stage : Stage.CART;
        for (ClickEvent event : TimeOrder.orEmpty(key.held)) {
            long time = event.eventTime();
            if (event.type() == EventType.PURCHASE) {
                if (open && taskOut) {
                    due = Math.min(due, time);
                }
                open = false;
                taskOut = false;
                continue;
            }
            if (!open) {
                if (!opensCart(event)) {
                    continue;
                }
                open = true;
                anyCart = true;
                stage = Stage.CART;
                due = Math.min(due, time);
            } else if (taskOut) {
                due = Math.min(due, time);
            }
            if (event.type().stage() != null) {
                stage = Stage.furthest(stage, event.type().stage());
            }
            due = Math.min(due, time + gaps.gapFor(event.storeId(), stage).toMillis());
        }
        if (!anyCart) {
            // Nothing of a cart: the held events and signals only wait for the watermark to pass
            // them (an earlier event opening a cart could still come), then go; the value goes
            // when its last id does.
            long lastHeld =
                    Math.max(
                            TimeOrder.last(key.held, ClickEvent::eventTime),
                            TimeOrder.last(key.heldSignals, ReasonSignal::effectiveTime));
            if (lastHeld != Long.MIN_VALUE) {
                due = Math.min(due, lastHeld + IDLE_HOLD_MILLIS);
            }
            due = Math.min(due, SeenIds.lastForgetAt(key.seenIds));
        } else if (key.hasCart() && key.abandoned) {
            // Quiet until its retention ends: the ids go at their own expiry, not days later.
            due = Math.min(due, SeenIds.lastForgetAt(key.seenIds));
        }
        return due;
    }

    /**
     * Applies every held event and signal the watermark has passed, in event-time order: at each
     * time its events, then its signals; a deadline between two of those times is decided between
     * them, as it would have been had each time a timer of its own (an add, then a purchase long
     * after the gap, is an abandoned cart that was bought later, not a purchase in the gap).
     */
    private void applyHeld(CartState key, long watermark, Context ctx, Collector<AbandonedCart> out)
            throws Exception {
        List<ClickEvent> events = TimeOrder.orEmpty(key.held);
        List<ReasonSignal> signals = TimeOrder.orEmpty(key.heldSignals);
        int dueEvents = TimeOrder.countUpTo(events, watermark, ClickEvent::eventTime);
        int dueSignals = TimeOrder.countUpTo(signals, watermark, ReasonSignal::effectiveTime);
        if (dueEvents == 0 && dueSignals == 0) {
            return;
        }
        key.held = TimeOrder.rest(events, dueEvents);
        key.heldSignals = TimeOrder.rest(signals, dueSignals);
        int e = 0;
        int s = 0;
        while (e < dueEvents || s < dueSignals) {
            long time =
                    Math.min(
                            e < dueEvents ? events.get(e).eventTime() : Long.MAX_VALUE,
                            s < dueSignals ? signals.get(s).effectiveTime() : Long.MAX_VALUE);
            while (key.hasCart() && key.deadline != 0 && key.deadline < time) {
                deadlineReached(key, ctx, out);
            }
            for (; e < dueEvents && events.get(e).eventTime() == time; e++) {
                apply(key, events.get(e), ctx);
            }
            for (; s < dueSignals && signals.get(s).effectiveTime() == time; s++) {
                apply(key, signals.get(s));
            }
        }
    }

    private void apply(CartState state, ClickEvent event, Context ctx) {
        if (event.type() == EventType.PURCHASE) {
            if (state.hasCart()) {
                close(state, CartClosed.Cause.PURCHASED, event, ctx);
            }
            return;
        }
        if (!state.hasCart()) {
            if (!opensCart(event)) {
                return;
            }
            open(state, event);
            ctx.output(OPENED, new CartOpened(state.storeId, state.cartId, state.openedAt));
        }
        if (event.currency() != null && carriesCart(event)) {
            if (state.currency == null) {
                state.currency = event.currency();
            } else if (!state.currency.equals(event.currency())) {
                ctx.output(
                        REJECTED,
                        new DeadLetter(
                                "currency "
                                        + event.currency()
                                        + " differs from the cart's "
                                        + state.currency,
                                ClickEventJson.toJson(event),
                                SourcePosition.stage(UID, event.eventTime()),
                                System.currentTimeMillis()));
                return;
            }
        }
        String outOfRange = totalOutOfRange(state, event);
        if (outOfRange != null) {
            ctx.output(
                    REJECTED,
                    new DeadLetter(
                            outOfRange,
                            ClickEventJson.toJson(event),
                            SourcePosition.stage(UID, event.eventTime()),
                            System.currentTimeMillis()));
            return;
        }
        if (longCheckout.observe(state, event.type(), event.eventTime())) {
            state.reason = ReasonHint.strongest(state.reason, ReasonHint.COMPLICATED_CHECKOUT);
        }
        if (unexpectedCosts.observe(state, event.type(), event.shippingCost(), event.eventTime())) {
            state.reason = ReasonHint.strongest(state.reason, ReasonHint.UNEXPECTED_COSTS);
        }
        update(state, event);
        if (state.items.isEmpty()) {
            close(state, CartClosed.Cause.EMPTIED, event, ctx);
            return;
        }
        state.abandoned = false;
        state.deadline = state.lastActivity + gaps.gapFor(state.storeId, state.stage).toMillis();
    }

    private static void apply(CartState state, ReasonSignal signal) {
        // A signal from before this cart was opened belongs to an earlier, finished cart.
        if (!state.hasCart() || signal.firstEventTime() < state.openedAt) {
            return;
        }
        state.reason = ReasonHint.strongest(state.reason, signal.reason());
    }

    private void deadlineReached(CartState state, Context ctx, Collector<AbandonedCart> out) {
        if (state.abandoned) {
            // Retention is over: nobody will cancel this cart's task any more.
            state.clearCart();
            return;
        }
        if (unexpectedCosts.trueBy(state, state.deadline)) {
            state.reason = ReasonHint.strongest(state.reason, ReasonHint.UNEXPECTED_COSTS);
        }
        long gap = gaps.gapFor(state.storeId, state.stage).toMillis();
        out.collect(
                new AbandonedCart(
                        state.cartId,
                        state.storeId,
                        state.customerId,
                        state.anonymousId,
                        List.copyOf(state.items),
                        state.value(),
                        state.currency,
                        state.stage,
                        state.reason != null ? state.reason : ReasonHint.UNKNOWN,
                        state.shippingCost,
                        state.openedAt,
                        state.lastActivity,
                        gap,
                        System.currentTimeMillis(),
                        null,
                        state.session(),
                        state.identified));
        abandonedCount.inc();
        state.abandoned = true;
        state.taskOut = true;
        state.deadline = state.lastActivity + retentionMillis;
    }

    /**
     * Only an event that puts items in the cart starts tracking it: an add, or a cart-stage event
     * carrying the cart's contents.
     */
    private static boolean opensCart(ClickEvent event) {
        return event.type() != EventType.REMOVE_FROM_CART
                && carriesCart(event)
                && event.items().stream().anyMatch(line -> line.quantity() > 0);
    }

    /**
     * Every event's own total is in the money range (EventValidator); adds and removes (whose price
     * replaces the known one) could still take the cart's beyond it, where no fact could hold it.
     * Snapshots replace the contents, so their total is the event's.
     */
    private static String totalOutOfRange(CartState state, ClickEvent event) {
        int sign =
                switch (event.type()) {
                    case ADD_TO_CART -> 1;
                    case REMOVE_FROM_CART -> -1;
                    default -> 0;
                };
        return sign == 0
                ? null
                : Amounts.problem(state.valueAfter(event.items(), sign), "cart total");
    }

    /** Items on page, product and identify events say nothing about the cart (a viewed product). */
    private static boolean carriesCart(ClickEvent event) {
        return event.type().stage() != null && !event.items().isEmpty();
    }

    private static void open(CartState state, ClickEvent event) {
        state.storeId = event.storeId();
        state.customerId = event.customerId();
        state.anonymousId = event.anonymousId();
        state.stage = Stage.CART;
        state.openedAt = event.eventTime();
        state.lastActivity = event.eventTime();
        state.firstSeenAt = event.eventTime();
        state.cartId = event.cartId() != null ? event.cartId() : derivedCartId(event);
    }

    /**
     * Carts without a store cart id are named after their owner and opening time, so the next cart
     * of the same customer after a purchase gets a new id, and a replay derives the same one.
     */
    static String derivedCartId(ClickEvent event) {
        String owner =
                event.customerId() != null
                        ? "customer/" + event.customerId()
                        : "visitor/" + event.anonymousId();
        return owner + "/" + event.eventTime();
    }

    private static void update(CartState state, ClickEvent event) {
        state.lastActivity = Math.max(state.lastActivity, event.eventTime());
        if (state.customerId == null && event.customerId() != null) {
            state.customerId = event.customerId();
        }
        if (state.anonymousId == null && event.anonymousId() != null) {
            state.anonymousId = event.anonymousId();
        }
        Stage stage = event.type().stage();
        if (stage != null) {
            state.stage = Stage.furthest(state.stage, stage);
        }
        if (event.shippingCost() != null) {
            state.shippingCost = event.shippingCost();
        }
        observe(state, event);
        switch (event.type()) {
            case ADD_TO_CART -> event.items().forEach(line -> state.change(line, 1));
            case REMOVE_FROM_CART -> event.items().forEach(line -> state.change(line, -1));
            default -> {
                if (carriesCart(event)) {
                    state.replace(event.items());
                }
            }
        }
    }

    /**
     * Session behaviour and identify details; they never move the deadline or change the contents.
     * Identify details count only when the event names no customer or the cart's own: a shared
     * device must not hand one shopper's phone to another's cart.
     */
    private static void observe(CartState state, ClickEvent event) {
        state.firstSeenAt =
                state.firstSeenAt == 0
                        ? event.eventTime()
                        : Math.min(state.firstSeenAt, event.eventTime());
        switch (event.type()) {
            case PAGE_VIEW, CART_VIEW -> state.views++;
            case PRODUCT_VIEW -> {
                state.views++;
                event.items().forEach(line -> state.viewed(line.productId()));
            }
            case PAYMENT_FAILED, CHECKOUT_ERROR -> state.errors++;
            case IDENTIFY -> {
                if (event.contact() != null
                        && (event.customerId() == null
                                || event.customerId().equals(state.customerId))) {
                    state.identified = ContactDetails.newer(state.identified, event.contact());
                }
            }
            default -> {}
        }
        Stage stage = event.type().stage();
        if (stage != null && stage != Stage.CART) {
            state.checkoutSteps |= 1 << stage.ordinal();
        }
    }

    private static void close(
            CartState state, CartClosed.Cause cause, ClickEvent event, Context ctx) {
        if (state.taskOut) {
            ctx.output(
                    CLOSED,
                    new CartClosed(
                            state.cartId,
                            state.storeId,
                            state.customerId,
                            cause,
                            event.eventTime(),
                            event.orderId()));
        }
        state.clearCart();
    }
}

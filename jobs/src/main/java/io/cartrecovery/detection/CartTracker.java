package io.cartrecovery.detection;

import io.cartrecovery.config.JobSettings;
import io.cartrecovery.events.Amounts;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.events.ContactDetails;
import io.cartrecovery.events.EventType;
import io.cartrecovery.events.Stage;
import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.ingest.SeenEventIds;
import io.cartrecovery.ingest.SourcePosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Follows each cart (keyed by {@link ClickEvent#cartKey()}) and reports it abandoned when it has
 * been quiet for its gap, in event time. Reason hints come in on the second input from the CEP
 * patterns of {@link ReasonPatterns}; the long-checkout hint it finds itself ({@link
 * LongCheckout}).
 *
 * <p>Repeats of an event id are dropped here as they arrive ({@link SeenEventIds}), in the operator
 * that applies the events: a de-duplicator of its own in front would cost every event a
 * serialization more, as this operator's two inputs keep it from chaining to one.
 *
 * <p>Order: events and signals are held in keyed state until the watermark passes them, then
 * applied in event-time order (events before signals of the same millisecond, both before the gap
 * deadline of that millisecond). So the outcome depends only on event times, not on how the two
 * inputs happened to interleave: a replay gives what the live run gives, and a signal about events
 * before a deadline is always applied before the deadline fires (a CEP operator emits its matches
 * before it forwards the watermark that completed them).
 *
 * <p>State is read and written at most once per callback ({@link WorkingValue}): with RocksDB every
 * read deserializes and every write serializes.
 *
 * <p>Timers: one at the first held event's time, one per held signal's time, plus one deadline per
 * cart, at {@code lastActivity + gap(store, stage)} while the cart is active, then at {@code
 * lastActivity + taskRetention} once reported. The deadline's timer is lazy ({@link
 * DeadlineTimer}): activity that pushes the deadline later leaves it where it is, and it is set
 * again at the deadline when it fires early. A purchase or an emptied cart deletes state and
 * deadline timer at once; retention's end deletes the state.
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

    public static final String METRIC_ABANDONED = "cartsAbandoned";
    public static final String METRIC_LATE = "lateEvents";
    public static final String METRIC_DUPLICATES = "duplicateEvents";

    /** Carts that had a task out and then ended: their tasks are cancelled. */
    public static final OutputTag<CartClosed> CLOSED = new OutputTag<>("closed-carts") {};

    /**
     * Carts as they open, for the abandonment rate; a cart closed and opened again counts again, as
     * it may be abandoned again.
     */
    public static final OutputTag<CartOpened> OPENED = new OutputTag<>("opened-carts") {};

    /** Events that cannot apply to their cart (a currency other than the cart's). */
    public static final OutputTag<DeadLetter> REJECTED = new OutputTag<>("rejected-events") {};

    static final ValueStateDescriptor<CartState> CART =
            new ValueStateDescriptor<>("cart", CartState.class);

    /**
     * Events waiting for the watermark, in event-time order (arrival order within a millisecond),
     * with an event-time timer at the first one's time. One list per cart, not a map by time: the
     * watermark trails the events by the out-of-orderness bound, so a cart holds one or two events
     * at a time, and with RocksDB a single value costs one read where a map cost an iterator.
     */
    static final ValueStateDescriptor<List<ClickEvent>> HELD_EVENTS =
            new ValueStateDescriptor<>(
                    "held-events", Types.LIST(TypeInformation.of(ClickEvent.class)));

    /** Signals waiting for the watermark, by effective time, each with a timer at its time. */
    static final ValueStateDescriptor<List<ReasonSignal>> HELD_SIGNALS =
            new ValueStateDescriptor<>(
                    "held-signals", Types.LIST(TypeInformation.of(ReasonSignal.class)));

    private final GapPolicy gaps;
    private final long retentionMillis;
    private final Duration dedupRetention;
    private final LongCheckout longCheckout;

    private transient WorkingValue<CartState> cart;
    private transient WorkingValue<List<ClickEvent>> heldEvents;
    private transient WorkingValue<List<ReasonSignal>> heldSignals;
    private transient Counter abandonedCount;
    private transient Counter lateCount;
    private transient Counter duplicates;
    private transient SeenEventIds seen;

    public CartTracker(JobSettings settings) {
        this.gaps = settings.gaps();
        this.retentionMillis = settings.taskRetention().toMillis();
        this.dedupRetention = settings.dedupRetention();
        this.longCheckout =
                new LongCheckout(
                        settings.longCheckout().toMillis(), settings.signalWindow().toMillis());
    }

    @Override
    public void open(OpenContext openContext) {
        cart = new WorkingValue<>(getRuntimeContext().getState(CART));
        heldEvents = new WorkingValue<>(getRuntimeContext().getState(HELD_EVENTS));
        heldSignals = new WorkingValue<>(getRuntimeContext().getState(HELD_SIGNALS));
        abandonedCount = getRuntimeContext().getMetricGroup().counter(METRIC_ABANDONED);
        lateCount = getRuntimeContext().getMetricGroup().counter(METRIC_LATE);
        duplicates = getRuntimeContext().getMetricGroup().counter(METRIC_DUPLICATES);
        seen = SeenEventIds.open(getRuntimeContext(), dedupRetention);
    }

    @Override
    public void processElement1(ClickEvent event, Context ctx, Collector<AbandonedCart> out)
            throws Exception {
        if (!seen.firstSighting(
                event.cartKey(), event.eventId(), event.eventTime(), ctx.timerService())) {
            duplicates.inc();
            return;
        }
        boolean late = event.eventTime() <= ctx.timerService().currentWatermark();
        if (late) {
            lateCount.inc();
            // Late events come in bursts (a source waking up after idleness): an add and the
            // purchase right after it. They are held a moment in processing time and then applied
            // together in event-time order, so the purchase is seen before any deadline check.
            ctx.timerService()
                    .registerProcessingTimeTimer(
                            ctx.timerService().currentProcessingTime() + LATE_GRACE_MILLIS);
        }
        List<ClickEvent> held = heldEvents.get();
        if (held == null) {
            held = new ArrayList<>(2);
        }
        // A late event's timer fires at the next watermark, unless the processing-time timer
        // above comes first. A timer already set at the first held event's time serves the rest.
        if (TimeOrder.insert(held, event, ClickEvent::eventTime) == 0) {
            ctx.timerService().registerEventTimeTimer(event.eventTime());
        }
        heldEvents.set(held);
        heldEvents.flush();
    }

    @Override
    public void processElement2(ReasonSignal signal, Context ctx, Collector<AbandonedCart> out)
            throws Exception {
        if (signal.effectiveTime() <= ctx.timerService().currentWatermark()) {
            apply(signal);
            cart.flush();
        } else {
            List<ReasonSignal> held = heldSignals.get();
            if (held == null) {
                held = new ArrayList<>(1);
            }
            TimeOrder.insert(held, signal, ReasonSignal::effectiveTime);
            ctx.timerService().registerEventTimeTimer(signal.effectiveTime());
            heldSignals.set(held);
            heldSignals.flush();
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AbandonedCart> out)
            throws Exception {
        try {
            fire(timestamp, ctx, out);
        } finally {
            cart.flush();
            heldEvents.flush();
            heldSignals.flush();
        }
    }

    private void fire(long timestamp, OnTimerContext ctx, Collector<AbandonedCart> out)
            throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            long lateTimer = TimeOrder.first(heldEvents.get(), ClickEvent::eventTime);
            applyHeld(watermark, ctx, out);
            CartState state = cart.get();
            if (lateTimer <= watermark
                    && (state == null || DeadlineTimer.armedAt(state) != lateTimer)) {
                // It would only find the held events gone.
                deleteTimer(lateTimer, ctx);
            }
            // The next watermark may be long in coming on a quiet stream: a deadline it has passed
            // already is decided now.
            if (state != null && state.deadline != 0 && state.deadline <= watermark) {
                deadlineReached(state, ctx, out);
            }
            return;
        }
        seen.onTimer(timestamp);
        if (TimeOrder.first(heldEvents.get(), ClickEvent::eventTime) <= timestamp
                || TimeOrder.first(heldSignals.get(), ReasonSignal::effectiveTime) <= timestamp) {
            applyHeld(watermark, ctx, out);
        }
        CartState state = cart.get();
        if (state != null) {
            switch (DeadlineTimer.onFire(DeadlineTimer.armedAt(state), state.deadline, timestamp)) {
                case DUE -> {
                    state.deadline = 0;
                    state.deadlineTimer = 0;
                    deadlineReached(state, ctx, out);
                }
                case REARM -> {
                    ctx.timerService().registerEventTimeTimer(state.deadline);
                    state.deadlineTimer = state.deadline;
                    cart.set(state);
                }
                case NOT_MINE -> {}
            }
        }
    }

    /**
     * Applies every held event and signal the watermark has passed, in event-time order: at each
     * time its events, then its signals; a deadline between two of those times is decided between
     * them, as its timer would have been had each time a timer of its own (an add, then a purchase
     * long after the gap, is an abandoned cart that was bought later, not a purchase in the gap).
     * Then sets the held events' one timer at the earliest event still held.
     *
     * <p>Why one timer for the held events instead of one per event time: a timer costs a
     * registration and a firing, and when the watermark moves in large steps (a backlog, a replay)
     * one firing applies all of a cart's events it passed.
     */
    private void applyHeld(long watermark, Context ctx, Collector<AbandonedCart> out)
            throws Exception {
        List<ClickEvent> events = TimeOrder.orEmpty(heldEvents.get());
        List<ReasonSignal> signals = TimeOrder.orEmpty(heldSignals.get());
        int dueEvents = TimeOrder.countUpTo(events, watermark, ClickEvent::eventTime);
        int dueSignals = TimeOrder.countUpTo(signals, watermark, ReasonSignal::effectiveTime);
        // The held lists are final before anything is applied: a deadline decided in between may
        // ask whether a timer is still needed for what stays held.
        heldEvents.set(TimeOrder.rest(events, dueEvents));
        heldSignals.set(TimeOrder.rest(signals, dueSignals));
        int e = 0;
        int s = 0;
        while (e < dueEvents || s < dueSignals) {
            long time =
                    Math.min(
                            e < dueEvents ? events.get(e).eventTime() : Long.MAX_VALUE,
                            s < dueSignals ? signals.get(s).effectiveTime() : Long.MAX_VALUE);
            CartState before = cart.get();
            while (before != null && before.deadline != 0 && before.deadline < time) {
                deadlineReached(before, ctx, out);
                before = cart.get();
            }
            for (; e < dueEvents && events.get(e).eventTime() == time; e++) {
                apply(events.get(e), ctx);
            }
            for (; s < dueSignals && signals.get(s).effectiveTime() == time; s++) {
                apply(signals.get(s));
            }
        }
        if (dueEvents < events.size()) {
            ctx.timerService().registerEventTimeTimer(events.get(dueEvents).eventTime());
        }
    }

    private void apply(ClickEvent event, Context ctx) throws Exception {
        CartState state = cart.get();
        if (event.type() == EventType.PURCHASE) {
            if (state != null) {
                close(state, CartClosed.Cause.PURCHASED, event, ctx);
            }
            return;
        }
        if (state == null) {
            if (!opensCart(event)) {
                return;
            }
            state = open(event);
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
        update(state, event);
        if (state.items.isEmpty()) {
            close(state, CartClosed.Cause.EMPTIED, event, ctx);
            return;
        }
        state.abandoned = false;
        moveDeadline(
                state,
                state.lastActivity + gaps.gapFor(state.storeId, state.stage).toMillis(),
                ctx);
        cart.set(state);
    }

    private void apply(ReasonSignal signal) throws Exception {
        CartState state = cart.get();
        // A signal from before this cart was opened belongs to an earlier, finished cart.
        if (state == null || signal.firstEventTime() < state.openedAt) {
            return;
        }
        state.reason = ReasonHint.strongest(state.reason, signal.reason());
        cart.set(state);
    }

    private void deadlineReached(CartState state, Context ctx, Collector<AbandonedCart> out)
            throws Exception {
        if (state.abandoned) {
            // Retention is over: nobody will cancel this cart's task any more.
            cart.set(null);
            return;
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
        moveDeadline(state, state.lastActivity + retentionMillis, ctx);
        cart.set(state);
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

    private static CartState open(ClickEvent event) {
        CartState state = new CartState();
        state.storeId = event.storeId();
        state.customerId = event.customerId();
        state.anonymousId = event.anonymousId();
        state.stage = Stage.CART;
        state.openedAt = event.eventTime();
        state.lastActivity = event.eventTime();
        state.firstSeenAt = event.eventTime();
        state.cartId = event.cartId() != null ? event.cartId() : derivedCartId(event);
        return state;
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

    private void close(CartState state, CartClosed.Cause cause, ClickEvent event, Context ctx)
            throws Exception {
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
        dropDeadline(state, ctx);
        cart.set(null);
    }

    private void moveDeadline(CartState state, long at, Context ctx) throws Exception {
        if (state.deadline == at) {
            return;
        }
        long armed = DeadlineTimer.armedAt(state);
        if (DeadlineTimer.needsTimer(armed, at)) {
            deleteTimer(armed, ctx);
            ctx.timerService().registerEventTimeTimer(at);
            armed = at;
        }
        state.deadline = at;
        state.deadlineTimer = armed;
    }

    private void dropDeadline(CartState state, Context ctx) throws Exception {
        deleteTimer(DeadlineTimer.armedAt(state), ctx);
        state.deadline = 0;
        state.deadlineTimer = 0;
    }

    /**
     * Deletes the deadline's timer, unless held events or signals still need that timestamp, or it
     * may be a de-duplication cleanup.
     */
    private void deleteTimer(long at, Context ctx) throws Exception {
        if (at != 0
                && TimeOrder.first(heldEvents.get(), ClickEvent::eventTime) != at
                && !TimeOrder.contains(heldSignals.get(), at, ReasonSignal::effectiveTime)
                && !seen.ownsTimerAt(at)) {
            ctx.timerService().deleteEventTimeTimer(at);
        }
    }
}

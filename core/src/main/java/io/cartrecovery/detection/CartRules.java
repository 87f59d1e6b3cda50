package io.cartrecovery.detection;

import io.cartrecovery.events.Amounts;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.ContactDetails;
import io.cartrecovery.events.EventType;
import io.cartrecovery.events.Stage;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The cart tracker's decisions over one cart key's {@link CartState} (docs/detection.md): when a
 * cart opens, what each event does to it, when it is abandoned, when a purchase or an emptied cart
 * closes it, and when each thing of the key is due. Plain code, no Flink: the operator ({@code
 * CartTracker}) loads and stores the state, keeps one event-time timer at {@link #firstDue},
 * de-duplicates, and routes the {@link Effects}.
 *
 * <p>Order: events and signals are held until the watermark passes them, then applied in event-time
 * order (events before signals of the same millisecond, both before the gap deadline of that
 * millisecond). So the outcome depends only on event times, not on how the two inputs happened to
 * interleave.
 *
 * <p>Held events need no timer of their own: whatever the watermark has passed is applied at the
 * key's next event, signal or timer, and {@link #firstDue} is no later than the first moment a held
 * event could decide something (the cart it opens, the gap it would start, a purchase that cancels
 * a task already out). Until then applying it or not changes no output.
 */
public final class CartRules implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * How long past its last held event a key without a cart keeps its timer away, in event time: a
     * browsing visitor's events are dropped once the watermark has passed them, by one timer per
     * minute of browsing instead of one per event.
     */
    static final long IDLE_HOLD_MILLIS = 60_000;

    /** Where the decisions go; the operator routes each to its output. */
    public interface Effects {
        /** The cart was quiet for its gap: report it. */
        void abandoned(AbandonedCart cart);

        /** A cart opened (it counts towards the abandonment rate). */
        void opened(CartOpened cart);

        /** A cart with a task out ended: its tasks are cancelled. */
        void closed(CartClosed cart);

        /** An event that cannot apply to its cart, and why. */
        void rejected(ClickEvent event, String reason);

        /** The wall clock, for the reports' {@code detected_at} only: it decides nothing. */
        long now();
    }

    private final GapPolicy gaps;
    private final long retentionMillis;
    private final LongCheckout longCheckout;
    private final UnexpectedCosts unexpectedCosts;

    /**
     * @param retentionMillis how long after its last activity a reported cart is kept, so that a
     *     purchase still cancels its task
     */
    public CartRules(
            GapPolicy gaps,
            long retentionMillis,
            LongCheckout longCheckout,
            UnexpectedCosts unexpectedCosts) {
        this.gaps = gaps;
        this.retentionMillis = retentionMillis;
        this.longCheckout = longCheckout;
        this.unexpectedCosts = unexpectedCosts;
    }

    /**
     * An event of the key (not a repeat): what the watermark has passed is applied first, then the
     * event is held until the watermark passes it.
     *
     * @return whether the event came late (at or behind the watermark)
     */
    public boolean event(CartState key, ClickEvent event, long watermark, Effects out) {
        applyHeld(key, watermark, out);
        if (key.held == null) {
            key.held = new ArrayList<>(2);
        }
        TimeOrder.insert(key.held, event, ClickEvent::eventTime);
        return event.eventTime() <= watermark;
    }

    /** A reason signal of the key: applied at once when the watermark has passed it, else held. */
    public void signal(CartState key, ReasonSignal signal, long watermark, Effects out) {
        applyHeld(key, watermark, out);
        if (signal.effectiveTime() <= watermark) {
            apply(key, signal);
        } else {
            if (key.heldSignals == null) {
                key.heldSignals = new ArrayList<>(1);
            }
            TimeOrder.insert(key.heldSignals, signal, ReasonSignal::effectiveTime);
        }
    }

    /**
     * The watermark moved (the key's timer fired, or a late burst is due): applies what it passed,
     * decides every deadline it passed (after a jump, or for a late cart) and forgets the ids past
     * their retention.
     */
    public void timer(CartState key, long watermark, Effects out) {
        applyHeld(key, watermark, out);
        while (key.hasCart() && key.deadline != 0 && key.deadline <= watermark) {
            deadlineReached(key, out);
        }
        key.seenIds = SeenIds.forgetDue(key.seenIds, watermark);
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
    public long firstDue(CartState key) {
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
    private void applyHeld(CartState key, long watermark, Effects out) {
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
                deadlineReached(key, out);
            }
            for (; e < dueEvents && events.get(e).eventTime() == time; e++) {
                apply(key, events.get(e), out);
            }
            for (; s < dueSignals && signals.get(s).effectiveTime() == time; s++) {
                apply(key, signals.get(s));
            }
        }
    }

    private void apply(CartState state, ClickEvent event, Effects out) {
        if (event.type() == EventType.PURCHASE) {
            if (state.hasCart()) {
                close(state, CartClosed.Cause.PURCHASED, event, out);
            }
            return;
        }
        if (!state.hasCart()) {
            if (!opensCart(event)) {
                return;
            }
            open(state, event);
            out.opened(new CartOpened(state.storeId, state.cartId, state.openedAt));
        }
        if (event.currency() != null && carriesCart(event)) {
            if (state.currency == null) {
                state.currency = event.currency();
            } else if (!state.currency.equals(event.currency())) {
                out.rejected(
                        event,
                        "currency "
                                + event.currency()
                                + " differs from the cart's "
                                + state.currency);
                return;
            }
        }
        String outOfRange = totalOutOfRange(state, event);
        if (outOfRange != null) {
            out.rejected(event, outOfRange);
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
            close(state, CartClosed.Cause.EMPTIED, event, out);
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

    private void deadlineReached(CartState state, Effects out) {
        if (state.abandoned) {
            // Retention is over: nobody will cancel this cart's task any more.
            state.clearCart();
            return;
        }
        if (unexpectedCosts.trueBy(state, state.deadline)) {
            state.reason = ReasonHint.strongest(state.reason, ReasonHint.UNEXPECTED_COSTS);
        }
        long gap = gaps.gapFor(state.storeId, state.stage).toMillis();
        out.abandoned(
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
                        out.now(),
                        null,
                        state.session(),
                        state.identified));
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
            CartState state, CartClosed.Cause cause, ClickEvent event, Effects out) {
        if (state.taskOut) {
            out.closed(
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

package io.cartrecovery.detection;

import io.cartrecovery.events.EventType;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * The unexpected-costs signal: a shipping cost above zero was shown, and no payment step (payment
 * info, a failed payment, a purchase) followed within {@code silence}. Plain code the cart tracker
 * runs on each event of an open cart, in event-time order, and at its deadline.
 *
 * <p>It was a CEP pattern (shipping shown, not followed by a payment step, within the silence). A
 * pattern that ends in "not followed by" keeps a partial match per cart for the whole silence, and
 * Flink CEP fires a timer for every such cart on every watermark to see whether it timed out: with
 * a few minutes of silence and a third of the carts reaching shipping, that cost more than the rest
 * of the CEP path. Here it is one timestamp in the cart's state. The results are the same: the
 * signal becomes true at {@code shown + silence} for the earliest showing with no payment step
 * after it and before that time (a payment step at exactly that time comes too late, as CEP times
 * the match out before it takes the event), and is then applied before the deadline of that time
 * and after the events of it. Unlike the pattern, a late event counts (the pattern dropped it).
 */
final class UnexpectedCosts implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long silenceMillis;

    UnexpectedCosts(long silenceMillis) {
        this.silenceMillis = silenceMillis;
    }

    /**
     * Whether the signal became true by this event's time (a payment step at that very time is too
     * late to stop it); then notes the event: a showing starts the silence unless one is already
     * running, a payment step ends it. The caller, which has handled purchases already, applies the
     * hint and the event in either order: the hint only strengthens the cart's reason.
     */
    boolean observe(CartState state, EventType type, BigDecimal shippingCost, long time) {
        boolean signalled = trueBy(state, time);
        if (signalled) {
            state.costShownAt = 0;
        }
        if (paymentStep(type)) {
            state.costShownAt = 0;
        } else if (type == EventType.SHIPPING_INFO
                && shippingCost != null
                && shippingCost.signum() > 0
                && state.costShownAt == 0) {
            state.costShownAt = time;
        }
        return signalled;
    }

    /** Whether the signal is true by {@code time} (the cart's deadline, say). */
    boolean trueBy(CartState state, long time) {
        return state.costShownAt != 0 && state.costShownAt + silenceMillis <= time;
    }

    /** The steps that answer a shown cost. */
    static boolean paymentStep(EventType type) {
        return type == EventType.PAYMENT_INFO
                || type == EventType.PAYMENT_FAILED
                || type == EventType.PURCHASE;
    }
}

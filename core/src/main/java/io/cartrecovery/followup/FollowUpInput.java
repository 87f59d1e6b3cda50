package io.cartrecovery.followup;

import io.cartrecovery.detection.CartClosed;
import io.cartrecovery.enrich.EnrichedCart;
import io.cartrecovery.keys.CustomerKey;
import io.cartrecovery.keys.Keys;
import io.cartrecovery.outcomes.ParsedOutcome;

/**
 * One record into the follow-up, keyed by customer ({@link Keys#customer}): exactly one of the four
 * is set.
 *
 * @param key the customer key's string ({@link #customer()}): the follow-up's waiting inputs are
 *     kept with it as a string, as before keys had types, so they restore across that change
 * @param time event time, epoch millis
 * @param cart a decided abandoned cart: starts (or updates) a sequence
 * @param closed a reported cart bought or emptied (from the cart tracker)
 * @param purchase a purchase in the clickstream by the customer
 * @param outcome a well-formed outcome, routed to its cart's customer
 */
public record FollowUpInput(
        String key,
        long time,
        EnrichedCart cart,
        CartClosed closed,
        Purchase purchase,
        ParsedOutcome outcome) {

    /**
     * A decided cart starts its sequence when its gap ran out, in event time: not at the record's
     * timestamp, which is a profile's (a Kafka write time) when the cart waited for its profile.
     */
    public static FollowUpInput of(EnrichedCart cart) {
        return new FollowUpInput(
                Keys.customer(cart.cart().storeId(), cart.cart().customerId(), cart.cart().cartId())
                        .value(),
                cart.cart().abandonedAt() + cart.cart().gapMillis(),
                cart,
                null,
                null,
                null);
    }

    public static FollowUpInput of(CartClosed closed) {
        return new FollowUpInput(
                Keys.customer(closed.storeId(), closed.customerId(), closed.cartId()).value(),
                closed.eventTime(),
                null,
                closed,
                null,
                null);
    }

    /**
     * @return null for a purchase by an anonymous visitor without a cart id: the tracker's {@link
     *     CartClosed} is the only way to its cart
     */
    public static FollowUpInput of(Purchase purchase) {
        if (purchase.customerId() == null && purchase.cartId() == null) {
            return null;
        }
        return new FollowUpInput(
                Keys.customer(purchase.storeId(), purchase.customerId(), purchase.cartId()).value(),
                purchase.eventTime(),
                null,
                null,
                purchase,
                null);
    }

    public static FollowUpInput of(CustomerKey customer, ParsedOutcome outcome) {
        return new FollowUpInput(
                customer.value(), outcome.outcome().time(), null, null, null, outcome);
    }

    /** The customer whose follow-up this is: the follow-up's key. */
    public CustomerKey customer() {
        return new CustomerKey(key);
    }

    /**
     * Inputs of one event time are applied in this order: a decided cart first (a purchase at the
     * same moment then ends its sequence), a cart's end before a purchase of the customer (it names
     * the cart), outcomes last.
     */
    int rank() {
        return cart != null ? 0 : closed != null ? 1 : purchase != null ? 2 : 3;
    }

    /** Breaks the last ties, so a replay applies simultaneous inputs in the live order. */
    String tieBreak() {
        if (cart != null) {
            return cart.cart().cartId();
        }
        if (closed != null) {
            return closed.cartId() + "\n" + closed.orderId();
        }
        if (purchase != null) {
            return purchase.orderId() + "\n" + purchase.cartId();
        }
        return outcome.outcome().taskId() + "\n" + outcome.outcome().outcome().wireName();
    }
}

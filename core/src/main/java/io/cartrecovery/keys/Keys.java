package io.cartrecovery.keys;

/**
 * The keys the job partitions its state by, one type per concept, built here and nowhere else. The
 * strings inside are the keys of keyed state in checkpoints, so their form is part of the state's
 * schema (docs/state.md) and must not change between versions.
 */
public final class Keys {
    private Keys() {}

    /**
     * The one key of the assignment: an agent serves several stores, so the contact centre's load
     * cannot be split (docs/assignment.md, "How far one key goes").
     */
    public static final ContactCentreKey CONTACT_CENTRE = new ContactCentreKey("contact-centre");

    /**
     * A cart as the tracker follows it: the explicit cart id when the event has one, else the
     * customer, else the visitor. Sessions play no part, so a visitor who comes back continues the
     * same cart.
     */
    public static TrackedCartKey trackedCart(
            String storeId, String cartId, String customerId, String anonymousId) {
        if (cartId != null) {
            return new TrackedCartKey(storeId + "/cart/" + cartId);
        }
        if (customerId != null) {
            return new TrackedCartKey(storeId + "/customer/" + customerId);
        }
        return new TrackedCartKey(storeId + "/visitor/" + anonymousId);
    }

    /** An abandoned cart of a store, as the follow-up's outcomes and the attempt KPIs name it. */
    public static CartKey cart(String storeId, String cartId) {
        return new CartKey(storeId + "\n" + cartId);
    }

    /**
     * The customer whose follow-up a cart belongs to; a cart without a customer is its own, so
     * anonymous carts never meet.
     */
    public static CustomerKey customer(String storeId, String customerId, String cartId) {
        return new CustomerKey(
                customerId == null
                        ? "cart\n" + storeId + "\n" + cartId
                        : storeId + "\n" + customerId);
    }

    /** A KPI minute's row: the minute's start, then its dimensions (null ones as "null"). */
    public static KpiMinuteKey kpiMinute(long minuteStart, String... dimensions) {
        return new KpiMinuteKey(minuteStart + "\n" + String.join("\n", dimensions));
    }
}

package io.cartrecovery.keys;

/**
 * The keys the job partitions its state by, one per concept, built here and nowhere else. They are
 * strings on purpose: they are the keys of keyed state in checkpoints, so their form is part of the
 * state's schema (docs/state.md) and must not change between versions.
 */
public final class Keys {
    private Keys() {}

    /**
     * The one key of the assignment: an agent serves several stores, so the contact centre's load
     * cannot be split (docs/assignment.md, "How far one key goes").
     */
    public static final String CONTACT_CENTRE = "contact-centre";

    /**
     * A cart as the tracker follows it: the explicit cart id when the event has one, else the
     * customer, else the visitor. Sessions play no part, so a visitor who comes back continues the
     * same cart.
     */
    public static String trackedCart(
            String storeId, String cartId, String customerId, String anonymousId) {
        if (cartId != null) {
            return storeId + "/cart/" + cartId;
        }
        if (customerId != null) {
            return storeId + "/customer/" + customerId;
        }
        return storeId + "/visitor/" + anonymousId;
    }

    /** An abandoned cart of a store, as the follow-up's outcomes name it. */
    public static String cart(String storeId, String cartId) {
        return storeId + "\n" + cartId;
    }

    /**
     * The customer whose follow-up a cart belongs to; a cart without a customer is its own, so
     * anonymous carts never meet.
     */
    public static String customer(String storeId, String customerId, String cartId) {
        return customerId == null
                ? "cart\n" + storeId + "\n" + cartId
                : storeId + "\n" + customerId;
    }
}

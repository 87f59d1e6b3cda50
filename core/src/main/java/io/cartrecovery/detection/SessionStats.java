package io.cartrecovery.detection;

import java.io.Serializable;

/**
 * How the shopper behaved around one cart, from the cart's clickstream (docs/detection.md, "Session
 * behaviour"). Counts start with the event that opened the cart: the tracker keeps no state for
 * keys without a cart.
 *
 * @param views page, product and cart views
 * @param productsViewed distinct products seen in product views, at most {@link
 *     CartState#MAX_VIEWED_PRODUCTS}
 * @param timeOnSiteMillis event time from the cart's first to its last event
 * @param checkoutSteps distinct checkout steps reached (checkout, shipping, payment): 0-3
 * @param errors payment failures plus checkout errors
 * @param previousAbandonments other carts of the same customer reported abandoned before this one
 *     (counted in enrichment, per customer; 0 for anonymous carts)
 */
public record SessionStats(
        int views,
        int productsViewed,
        long timeOnSiteMillis,
        int checkoutSteps,
        int errors,
        int previousAbandonments)
        implements Serializable {

    public static final SessionStats NONE = new SessionStats(0, 0, 0, 0, 0, 0);

    public SessionStats withPreviousAbandonments(int count) {
        return new SessionStats(
                views, productsViewed, timeOnSiteMillis, checkoutSteps, errors, count);
    }
}

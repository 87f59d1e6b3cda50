package io.cartrecovery.events;

import io.cartrecovery.keys.Keys;
import io.cartrecovery.keys.TrackedCartKey;
import java.math.BigDecimal;
import java.util.List;

/**
 * A validated clickstream event in the canonical format (docs/clickstream.md).
 *
 * @param eventId unique per store; repeats within a cart are dropped as duplicates
 * @param type what happened
 * @param storeId the store the event belongs to
 * @param eventTime when it happened, epoch millis UTC (event time)
 * @param cartId the store's cart id, or null
 * @param customerId the store's customer id, or null
 * @param anonymousId the visitor id of a not logged-in shopper, or null
 * @param sessionId the browsing session, or null; a cart outlives sessions
 * @param currency ISO 4217 code of all amounts in the event, or null when it has none
 * @param items cart lines (added, removed, or the whole cart for checkout events), never null
 * @param shippingCost shipping cost shown to the shopper, or null
 * @param orderId the order a purchase created, or null
 * @param errorCode what went wrong for {@code payment_failed} / {@code checkout_error}, or null
 * @param contact details from an {@code identify} event, or null
 */
// Flink serializes events with a serializer of their own, written for speed (issue 16), which the
// job registers by configuration (ClickEventTypeInfoFactory): no Flink annotation here.
public record ClickEvent(
        String eventId,
        EventType type,
        String storeId,
        long eventTime,
        String cartId,
        String customerId,
        String anonymousId,
        String sessionId,
        String currency,
        List<CartLine> items,
        BigDecimal shippingCost,
        String orderId,
        String errorCode,
        ContactDetails contact) {

    /**
     * The key a cart is tracked under: the explicit cart id when the event has one, else the
     * customer, else the visitor. Sessions play no part, so a visitor who comes back continues the
     * same cart.
     */
    public TrackedCartKey trackedCart() {
        return Keys.trackedCart(storeId, cartId, customerId, anonymousId);
    }

    /** The same event without the customer id, so it is keyed by the visitor. */
    public ClickEvent asVisitorEvent() {
        return new ClickEvent(
                eventId,
                type,
                storeId,
                eventTime,
                cartId,
                null,
                anonymousId,
                sessionId,
                currency,
                items,
                shippingCost,
                orderId,
                errorCode,
                contact);
    }
}

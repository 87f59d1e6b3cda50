package io.cartrecovery.detection;

import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.Stage;
import java.math.BigDecimal;
import java.util.List;

/**
 * A cart that went quiet for its gap with items in it and no purchase. A cart that comes back to
 * life and goes quiet again is reported again, with the same cart id and the new contents.
 *
 * @param cartId the store's cart id, or one derived from who owns the cart and when it was opened
 * @param storeId the store
 * @param customerId the customer, or null for an anonymous visitor
 * @param anonymousId the visitor id, or null
 * @param items the cart's lines at abandonment (quantity above zero)
 * @param cartValue sum of line totals, exact, in {@code currency}
 * @param currency ISO 4217 code, or null when the store sends no prices
 * @param stage furthest stage reached
 * @param reason reason hint from the strongest signal seen
 * @param shippingCost the last shipping cost shown, or null
 * @param openedAt event time the cart was opened, epoch millis
 * @param abandonedAt event time of the last activity, epoch millis
 * @param gapMillis the inactivity gap that applied
 * @param detectedAt wall-clock epoch millis of detection
 * @param contactDecision what enrichment decided about contacting the customer ({@code
 *     ContactDecision.Outcome} wire name), or null before enrichment
 */
public record AbandonedCart(
        String cartId,
        String storeId,
        String customerId,
        String anonymousId,
        List<CartLine> items,
        BigDecimal cartValue,
        String currency,
        Stage stage,
        ReasonHint reason,
        BigDecimal shippingCost,
        long openedAt,
        long abandonedAt,
        long gapMillis,
        long detectedAt,
        String contactDecision) {

    public AbandonedCart withContactDecision(String decision) {
        return new AbandonedCart(
                cartId,
                storeId,
                customerId,
                anonymousId,
                items,
                cartValue,
                currency,
                stage,
                reason,
                shippingCost,
                openedAt,
                abandonedAt,
                gapMillis,
                detectedAt,
                decision);
    }
}

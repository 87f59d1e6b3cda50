package io.cartrecovery.detection;

import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.ContactDetails;
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
 * @param session the shopper's behaviour around the cart
 * @param identified contact details from the cart's {@code identify} events, or null. Personal
 *     data: enrichment takes them into the customer's contact details and clears them here, and no
 *     output writes them (docs/profiles.md)
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
        String contactDecision,
        SessionStats session,
        ContactDetails identified) {

    public AbandonedCart {
        session = session == null ? SessionStats.NONE : session;
    }

    /**
     * Whether the cart is contactable: enrichment found a customer with a profile, not
     * do-not-contact, with the details of a channel they consent to ({@code contact_decision}
     * {@code contact}). Only contactable carts get contact tasks (or are held out); the others stay
     * abandoned-cart facts, with their value and reason, and nobody is contacted about them.
     */
    public boolean contactable() {
        return "contact".equals(contactDecision);
    }

    /** A cart without session behaviour or identified details. */
    public AbandonedCart(
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
        this(
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
                contactDecision,
                SessionStats.NONE,
                null);
    }

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
                decision,
                session,
                identified);
    }

    public AbandonedCart withSession(SessionStats newSession) {
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
                contactDecision,
                newSession,
                identified);
    }

    /** The same cart without identified contact details, once enrichment has taken them. */
    public AbandonedCart withoutIdentified() {
        return identified == null
                ? this
                : new AbandonedCart(
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
                        contactDecision,
                        session,
                        null);
    }
}

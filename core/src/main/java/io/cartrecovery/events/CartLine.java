package io.cartrecovery.events;

import java.math.BigDecimal;

/**
 * One product line of a cart or of a cart event.
 *
 * @param productId the store's product id
 * @param name product name for scripts, may be null
 * @param quantity units, never negative
 * @param unitPrice price of one unit in the event's currency (exact decimal), may be null when the
 *     store does not send prices
 */
public record CartLine(String productId, String name, int quantity, BigDecimal unitPrice) {

    /** Quantity times unit price; zero when the price is unknown. */
    public BigDecimal lineTotal() {
        return unitPrice == null
                ? BigDecimal.ZERO
                : unitPrice.multiply(BigDecimal.valueOf(quantity));
    }

    public CartLine withQuantity(int newQuantity) {
        return new CartLine(productId, name, newQuantity, unitPrice);
    }
}

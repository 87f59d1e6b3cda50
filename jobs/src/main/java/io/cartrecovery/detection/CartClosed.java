package io.cartrecovery.detection;

/**
 * A cart that had been reported abandoned and then ended: its open contact task must be cancelled.
 *
 * @param cartId as in {@link AbandonedCart}
 * @param storeId the store
 * @param customerId the customer, or null
 * @param cause why the cart ended
 * @param eventTime event time of the event that ended it, epoch millis
 * @param orderId the order of a purchase, or null
 */
public record CartClosed(
        String cartId,
        String storeId,
        String customerId,
        Cause cause,
        long eventTime,
        String orderId) {

    /** Why a reported cart ended. */
    public enum Cause {
        PURCHASED,
        EMPTIED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}

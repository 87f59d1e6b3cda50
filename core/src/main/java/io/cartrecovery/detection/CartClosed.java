package io.cartrecovery.detection;

/**
 * A cart that had been reported abandoned and then ended, or an open contact task that ended with
 * it: the task must be cancelled.
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

    /** Why a reported cart (or its open task) ended. */
    public enum Cause {
        PURCHASED,
        EMPTIED,
        /** The attempt's time is over: the next attempt was issued, or no outcome came in time. */
        EXPIRED,
        /** An outcome ended the sequence: the shopper is not interested. */
        NOT_INTERESTED,
        /** The shopper asked not to be contacted again (an outcome of any of their carts). */
        DO_NOT_CONTACT;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}

package io.cartrecovery.detection;

/**
 * A cart the tracker started following: the denominator of the abandonment rate. Ids only.
 *
 * @param storeId the store
 * @param cartId as in {@link AbandonedCart}
 * @param openedAt event time of the event that opened it, epoch millis
 */
public record CartOpened(String storeId, String cartId, long openedAt) {}

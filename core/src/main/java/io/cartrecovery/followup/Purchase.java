package io.cartrecovery.followup;

import java.math.BigDecimal;

/**
 * A purchase in the clickstream, as the follow-up needs it: it ends every open sequence of the
 * customer and may be a recovery.
 *
 * @param storeId the store
 * @param customerId the customer, or null
 * @param cartId the store's cart id, or null
 * @param orderId the order, or null
 * @param eventTime event time, epoch millis
 * @param value sum of the purchased lines, exact, or null when the event lists none with prices
 * @param currency of {@code value}, or null
 */
public record Purchase(
        String storeId,
        String customerId,
        String cartId,
        String orderId,
        long eventTime,
        BigDecimal value,
        String currency) {}

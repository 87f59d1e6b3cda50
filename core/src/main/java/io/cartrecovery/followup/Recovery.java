package io.cartrecovery.followup;

import java.math.BigDecimal;

/**
 * An abandoned cart bought within the attribution window (docs/followup.md), with what it is
 * credited to. Ids only, never personal data.
 *
 * @param storeId the store
 * @param cartId the cart
 * @param customerId the customer, or null
 * @param orderId the order, or null
 * @param abandonedAt the cart's last activity, epoch millis
 * @param recoveredAt event time of the purchase, epoch millis
 * @param value the purchase's value, else the cart's, exact
 * @param currency of {@code value}, or null
 * @param taskId the credited attempt's task, or null when no attempt reached the shopper
 * @param attempt the credited attempt's number, or 0
 * @param channel the credited attempt's channel wire name, or null
 * @param agentId the credited attempt's agent, or null
 * @param contacted an attempt reached the shopper before the purchase
 * @param holdout the cart was held out (a natural recovery, the baseline)
 */
public record Recovery(
        String storeId,
        String cartId,
        String customerId,
        String orderId,
        long abandonedAt,
        long recoveredAt,
        BigDecimal value,
        String currency,
        String taskId,
        int attempt,
        String channel,
        String agentId,
        boolean contacted,
        boolean holdout) {}

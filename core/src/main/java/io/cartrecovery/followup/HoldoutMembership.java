package io.cartrecovery.followup;

/**
 * Whether a contactable abandoned cart was held out (control group) or contacted
 * (docs/followup.md).
 *
 * @param storeId the store
 * @param cartId the cart
 * @param holdout true: no contact on purpose
 * @param assignedAt event time of the decision (the cart's detection), epoch millis
 */
public record HoldoutMembership(String storeId, String cartId, boolean holdout, long assignedAt) {}

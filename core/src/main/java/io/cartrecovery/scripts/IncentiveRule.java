package io.cartrecovery.scripts;

import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.profiles.CustomerProfile;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * When an agent may offer a discount (docs/scripts.md): the store offers one at all, the cart is
 * worth at least {@code minCartValue}, and the customer did not order within {@code recentOrder}
 * (they just paid full price: a discount now teaches them to abandon). Only known customers
 * qualify: without a profile nobody can tell when they last paid.
 *
 * @param maxPercent whole percent an agent may offer, 0 for none
 * @param minCartValue smallest cart value, in the cart's currency
 * @param recentOrder no incentive when the last order is at most this old at abandonment
 */
public record IncentiveRule(int maxPercent, BigDecimal minCartValue, Duration recentOrder)
        implements Serializable {

    public static final IncentiveRule NONE = new IncentiveRule(0, BigDecimal.ZERO, Duration.ZERO);

    /** The percent to offer on this cart, or 0 when the rule does not allow one. */
    public int percentFor(AbandonedCart cart, CustomerProfile profile) {
        if (maxPercent <= 0 || profile == null || cart.currency() == null) {
            return 0;
        }
        BigDecimal value = cart.cartValue() == null ? BigDecimal.ZERO : cart.cartValue();
        if (value.signum() <= 0 || value.compareTo(minCartValue) < 0) {
            return 0;
        }
        Long lastOrder = profile.lastOrderAt();
        if (lastOrder != null && cart.abandonedAt() - lastOrder <= recentOrder.toMillis()) {
            return 0;
        }
        return maxPercent;
    }
}

package io.cartrecovery.priority;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.List;

/**
 * How much an abandoned cart deserves a contact.
 *
 * @param score 0-100, the sum of {@code reasons} capped at 100
 * @param reasons the inputs that added points, largest first
 * @param probability estimated chance a contact recovers the cart, 0-1, four decimals
 * @param expectedValue probability x cart value, in the cart's currency, two decimals
 * @param tier treatment by expected value
 */
public record Priority(
        int score,
        List<ReasonCode> reasons,
        BigDecimal probability,
        BigDecimal expectedValue,
        Tier tier)
        implements Serializable {
    public Priority {
        reasons = List.copyOf(reasons);
    }
}

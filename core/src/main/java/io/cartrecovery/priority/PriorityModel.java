package io.cartrecovery.priority;

import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.ReasonHint;
import io.cartrecovery.events.Stage;
import io.cartrecovery.profiles.CustomerProfile;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The priority score of an abandoned cart: a pure, additive function of the cart, the customer's
 * profile (if known) and the time of scoring (docs/priority.md). Additive points keep every reason
 * code an honest account of how much its input moved the score.
 */
public final class PriorityModel implements Serializable {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final int base;
    private final int cartValuePoints;
    private final double cartValueFull;
    private final int ordersPoints;
    private final int ordersFull;
    private final int lifetimeValuePoints;
    private final double lifetimeValueFull;
    private final int itemsPoints;
    private final int itemsFull;
    private final Engagement engagement;
    private final Map<Stage, Integer> stagePoints;
    private final Map<ReasonHint, Integer> reasonPoints;
    private final int recencyPoints;
    private final long recencyHorizonMillis;
    private final BigDecimal probabilityMin;
    private final BigDecimal probabilityMax;
    private final BigDecimal tierHigh;
    private final BigDecimal tierMiddle;

    public PriorityModel(PriorityWeights w) {
        base = w.base();
        cartValuePoints = w.cartValuePoints();
        cartValueFull = w.cartValueFull();
        ordersPoints = w.ordersPoints();
        ordersFull = w.ordersFull();
        lifetimeValuePoints = w.lifetimeValuePoints();
        lifetimeValueFull = w.lifetimeValueFull();
        itemsPoints = w.itemsPoints();
        itemsFull = w.itemsFull();
        engagement = new Engagement(w);
        stagePoints = w.stagePoints();
        reasonPoints = w.reasonPoints();
        recencyPoints = w.recencyPoints();
        recencyHorizonMillis = w.recencyHorizonMillis();
        probabilityMin = w.probabilityMin();
        probabilityMax = w.probabilityMax();
        tierHigh = w.tierHigh();
        tierMiddle = w.tierMiddle();
    }

    /**
     * @param profile the customer's profile, or null for an anonymous or unknown customer (no
     *     history points)
     * @param now epoch millis the score is taken at; recency is measured from the cart's last
     *     activity to it
     */
    public Priority score(AbandonedCart cart, CustomerProfile profile, long now) {
        List<ReasonCode> reasons = new ArrayList<>();
        add(reasons, "base", base);
        BigDecimal value = cart.cartValue() == null ? BigDecimal.ZERO : cart.cartValue();
        add(
                reasons,
                "cart_value",
                proportional(cartValuePoints, value.doubleValue(), cartValueFull));
        if (profile != null) {
            add(
                    reasons,
                    "order_count",
                    proportional(ordersPoints, profile.orderCount(), ordersFull));
            if (profile.lifetimeValue() != null) {
                add(
                        reasons,
                        "lifetime_value",
                        proportional(
                                lifetimeValuePoints,
                                profile.lifetimeValue().doubleValue(),
                                lifetimeValueFull));
            }
        }
        add(reasons, "items", proportional(itemsPoints, cart.items().size(), itemsFull));
        engagement.score(cart.session(), reasons);
        add(reasons, "stage_" + cart.stage().wireName(), stagePoints.getOrDefault(cart.stage(), 0));
        ReasonHint hint = cart.reason() == null ? ReasonHint.UNKNOWN : cart.reason();
        add(reasons, "reason_" + hint.wireName(), reasonPoints.getOrDefault(hint, 0));
        long age = Math.max(0, now - cart.abandonedAt());
        add(
                reasons,
                "recency",
                proportional(recencyPoints, recencyHorizonMillis - age, recencyHorizonMillis));
        reasons.sort(Comparator.comparingInt(ReasonCode::points).reversed());

        int score = Math.min(100, reasons.stream().mapToInt(ReasonCode::points).sum());
        BigDecimal probability =
                probabilityMin
                        .add(
                                probabilityMax
                                        .subtract(probabilityMin)
                                        .multiply(BigDecimal.valueOf(score))
                                        .divide(HUNDRED))
                        .setScale(4, RoundingMode.HALF_EVEN);
        // Two decimals: the expected value ranks and tiers carts, it is no amount anyone is billed.
        BigDecimal expected = probability.multiply(value).setScale(2, RoundingMode.HALF_EVEN);
        return new Priority(score, reasons, probability, expected, tier(expected));
    }

    Tier tier(BigDecimal expectedValue) {
        if (expectedValue.compareTo(tierHigh) >= 0) {
            return Tier.HIGH;
        }
        return expectedValue.compareTo(tierMiddle) >= 0 ? Tier.MIDDLE : Tier.LOW;
    }

    /** Zero points are left out, so the reasons list only what moved the score. */
    static void add(List<ReasonCode> reasons, String code, int points) {
        if (points > 0) {
            reasons.add(new ReasonCode(code, points));
        }
    }

    static int proportional(int points, double amount, double full) {
        if (full <= 0) {
            return amount > 0 ? points : 0;
        }
        double share = Math.max(0, Math.min(1, amount / full));
        return (int) Math.round(points * share);
    }
}

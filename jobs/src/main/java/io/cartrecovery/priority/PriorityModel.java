package io.cartrecovery.priority;

import io.cartrecovery.config.ConfigException;
import io.cartrecovery.config.Configs;
import io.cartrecovery.config.PriorityOptions;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.ReasonHint;
import io.cartrecovery.events.Stage;
import io.cartrecovery.profiles.CustomerProfile;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

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
    private final EnumMap<Stage, Integer> stagePoints;
    private final EnumMap<ReasonHint, Integer> reasonPoints;
    private final int recencyPoints;
    private final long recencyHorizonMillis;
    private final BigDecimal probabilityMin;
    private final BigDecimal probabilityMax;
    private final BigDecimal tierHigh;
    private final BigDecimal tierMiddle;

    private PriorityModel(ReadableConfig config) {
        base = nonNegative(config, PriorityOptions.BASE);
        cartValuePoints = nonNegative(config, PriorityOptions.CART_VALUE_POINTS);
        cartValueFull = positive(config, PriorityOptions.CART_VALUE_FULL);
        ordersPoints = nonNegative(config, PriorityOptions.ORDERS_POINTS);
        ordersFull = nonNegative(config, PriorityOptions.ORDERS_FULL);
        lifetimeValuePoints = nonNegative(config, PriorityOptions.LIFETIME_VALUE_POINTS);
        lifetimeValueFull = positive(config, PriorityOptions.LIFETIME_VALUE_FULL);
        itemsPoints = nonNegative(config, PriorityOptions.ITEMS_POINTS);
        itemsFull = nonNegative(config, PriorityOptions.ITEMS_FULL);
        engagement = new Engagement(config);
        stagePoints = points(config, PriorityOptions.STAGE_POINTS, Stage.class);
        reasonPoints = points(config, PriorityOptions.REASON_POINTS, ReasonHint.class);
        recencyPoints = nonNegative(config, PriorityOptions.RECENCY_POINTS);
        Duration horizon = Configs.get(config, PriorityOptions.RECENCY_HORIZON);
        if (horizon.isNegative() || horizon.isZero()) {
            throw new ConfigException(PriorityOptions.RECENCY_HORIZON.key() + " must be positive");
        }
        recencyHorizonMillis = horizon.toMillis();
        probabilityMin = probability(config, PriorityOptions.PROBABILITY_MIN);
        probabilityMax = probability(config, PriorityOptions.PROBABILITY_MAX);
        if (probabilityMin.compareTo(probabilityMax) > 0) {
            throw new ConfigException(
                    PriorityOptions.PROBABILITY_MIN.key()
                            + " must not exceed "
                            + PriorityOptions.PROBABILITY_MAX.key());
        }
        tierHigh = BigDecimal.valueOf(amount(config, PriorityOptions.TIER_HIGH));
        tierMiddle = BigDecimal.valueOf(amount(config, PriorityOptions.TIER_MIDDLE));
        if (tierMiddle.compareTo(tierHigh) > 0) {
            throw new ConfigException(
                    PriorityOptions.TIER_MIDDLE.key()
                            + " must not exceed "
                            + PriorityOptions.TIER_HIGH.key());
        }
    }

    /**
     * @throws ConfigException naming the setting at fault
     */
    public static PriorityModel from(ReadableConfig config) {
        return new PriorityModel(config);
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

    static int nonNegative(ReadableConfig config, ConfigOption<Integer> option) {
        int value = Configs.get(config, option);
        if (value < 0) {
            throw new ConfigException(option.key() + " must not be negative");
        }
        return value;
    }

    private static double amount(ReadableConfig config, ConfigOption<Double> option) {
        double value = Configs.get(config, option);
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new ConfigException(option.key() + " must be a number, not negative");
        }
        return value;
    }

    private static double positive(ReadableConfig config, ConfigOption<Double> option) {
        double value = amount(config, option);
        if (value == 0) {
            throw new ConfigException(option.key() + " must be positive");
        }
        return value;
    }

    private static BigDecimal probability(ReadableConfig config, ConfigOption<Double> option) {
        double value = amount(config, option);
        if (value > 1) {
            throw new ConfigException(option.key() + " must be between 0 and 1");
        }
        return BigDecimal.valueOf(value);
    }

    private static <E extends Enum<E>> EnumMap<E, Integer> points(
            ReadableConfig config, ConfigOption<Map<String, String>> option, Class<E> type) {
        EnumMap<E, Integer> points = new EnumMap<>(type);
        for (Map.Entry<String, String> entry : Configs.get(config, option).entrySet()) {
            E key;
            try {
                key = Enum.valueOf(type, entry.getKey().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(option.key() + ": unknown key '" + entry.getKey() + "'");
            }
            int value;
            try {
                value = Integer.parseInt(entry.getValue().strip());
            } catch (NumberFormatException e) {
                value = -1;
            }
            if (value < 0) {
                throw new ConfigException(
                        option.key()
                                + ": '"
                                + entry.getKey()
                                + "' needs a whole number of points, not negative");
            }
            points.put(key, value);
        }
        return points;
    }
}

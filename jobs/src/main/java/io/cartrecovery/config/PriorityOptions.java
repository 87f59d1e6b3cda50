package io.cartrecovery.config;

import io.cartrecovery.detection.ReasonHint;
import io.cartrecovery.events.Stage;
import io.cartrecovery.priority.PriorityModel;
import io.cartrecovery.priority.PriorityWeights;
import io.cartrecovery.settings.ConfigException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/** The priority model's weights and the tier thresholds (docs/priority.md). */
public final class PriorityOptions {
    private PriorityOptions() {}

    public static final ConfigOption<Integer> BASE =
            ConfigOptions.key("priority.base")
                    .intType()
                    .defaultValue(10)
                    .withDescription("Points every abandoned cart starts with.");

    public static final ConfigOption<Integer> CART_VALUE_POINTS =
            ConfigOptions.key("priority.cart-value.points")
                    .intType()
                    .defaultValue(30)
                    .withDescription(
                            "Points for cart value, in proportion up to"
                                    + " priority.cart-value.full.");

    public static final ConfigOption<Double> CART_VALUE_FULL =
            ConfigOptions.key("priority.cart-value.full")
                    .doubleType()
                    .defaultValue(300.0)
                    .withDescription("Cart value (store currency) that earns all its points.");

    public static final ConfigOption<Integer> ORDERS_POINTS =
            ConfigOptions.key("priority.orders.points")
                    .intType()
                    .defaultValue(15)
                    .withDescription(
                            "Points for past orders, in proportion up to priority.orders.full.");

    public static final ConfigOption<Integer> ORDERS_FULL =
            ConfigOptions.key("priority.orders.full")
                    .intType()
                    .defaultValue(5)
                    .withDescription("Past order count that earns all its points.");

    public static final ConfigOption<Integer> LIFETIME_VALUE_POINTS =
            ConfigOptions.key("priority.lifetime-value.points")
                    .intType()
                    .defaultValue(10)
                    .withDescription(
                            "Points for lifetime value, in proportion up to"
                                    + " priority.lifetime-value.full.");

    public static final ConfigOption<Double> LIFETIME_VALUE_FULL =
            ConfigOptions.key("priority.lifetime-value.full")
                    .doubleType()
                    .defaultValue(1000.0)
                    .withDescription("Lifetime value that earns all its points.");

    public static final ConfigOption<Integer> ITEMS_POINTS =
            ConfigOptions.key("priority.items.points")
                    .intType()
                    .defaultValue(5)
                    .withDescription(
                            "Engagement points for the number of cart lines, in proportion up"
                                    + " to priority.items.full.");

    public static final ConfigOption<Integer> ITEMS_FULL =
            ConfigOptions.key("priority.items.full")
                    .intType()
                    .defaultValue(5)
                    .withDescription("Cart lines that earn all the engagement points.");

    // Engagement from the cart's clickstream (detection.SessionStats) and the customer's history.

    public static final ConfigOption<Integer> VIEWS_POINTS =
            ConfigOptions.key("priority.views.points")
                    .intType()
                    .defaultValue(4)
                    .withDescription(
                            "Engagement points for page, product and cart views, in proportion"
                                    + " up to priority.views.full.");

    public static final ConfigOption<Integer> VIEWS_FULL =
            ConfigOptions.key("priority.views.full")
                    .intType()
                    .defaultValue(10)
                    .withDescription("Views that earn all the view points.");

    public static final ConfigOption<Integer> PRODUCTS_VIEWED_POINTS =
            ConfigOptions.key("priority.products-viewed.points")
                    .intType()
                    .defaultValue(4)
                    .withDescription(
                            "Engagement points for distinct products viewed, in proportion up to"
                                    + " priority.products-viewed.full.");

    public static final ConfigOption<Integer> PRODUCTS_VIEWED_FULL =
            ConfigOptions.key("priority.products-viewed.full")
                    .intType()
                    .defaultValue(5)
                    .withDescription(
                            "Distinct products viewed that earn all their points (counting stops"
                                    + " at 32).");

    public static final ConfigOption<Integer> TIME_ON_SITE_POINTS =
            ConfigOptions.key("priority.time-on-site.points")
                    .intType()
                    .defaultValue(4)
                    .withDescription(
                            "Engagement points for time from the cart's first to its last event,"
                                    + " in proportion up to priority.time-on-site.full.");

    public static final ConfigOption<Duration> TIME_ON_SITE_FULL =
            ConfigOptions.key("priority.time-on-site.full")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(15))
                    .withDescription("Time on site that earns all its points.");

    public static final ConfigOption<Integer> CHECKOUT_STEPS_POINTS =
            ConfigOptions.key("priority.checkout-steps.points")
                    .intType()
                    .defaultValue(3)
                    .withDescription(
                            "Engagement points for distinct checkout steps reached (checkout,"
                                    + " shipping, payment), in proportion up to"
                                    + " priority.checkout-steps.full; on top of the stage points.");

    public static final ConfigOption<Integer> CHECKOUT_STEPS_FULL =
            ConfigOptions.key("priority.checkout-steps.full")
                    .intType()
                    .defaultValue(3)
                    .withDescription("Checkout steps that earn all their points.");

    public static final ConfigOption<Integer> ERRORS_POINTS =
            ConfigOptions.key("priority.errors.points")
                    .intType()
                    .defaultValue(5)
                    .withDescription(
                            "Points for payment failures and checkout errors, in proportion up to"
                                    + " priority.errors.full: the shopper wanted to buy and was"
                                    + " stopped, which an agent can fix.");

    public static final ConfigOption<Integer> ERRORS_FULL =
            ConfigOptions.key("priority.errors.full")
                    .intType()
                    .defaultValue(2)
                    .withDescription("Errors that earn all the error points.");

    public static final ConfigOption<Integer> PREVIOUS_ABANDONMENTS_POINTS =
            ConfigOptions.key("priority.previous-abandonments.points")
                    .intType()
                    .defaultValue(3)
                    .withDescription(
                            "Points for the customer's earlier abandoned carts (they keep coming"
                                    + " back), in proportion up to"
                                    + " priority.previous-abandonments.full. 0 for stores that"
                                    + " see repeat abandoners as browsers.");

    public static final ConfigOption<Integer> PREVIOUS_ABANDONMENTS_FULL =
            ConfigOptions.key("priority.previous-abandonments.full")
                    .intType()
                    .defaultValue(3)
                    .withDescription("Earlier abandonments that earn all their points.");

    public static final ConfigOption<Map<String, String>> STAGE_POINTS =
            ConfigOptions.key("priority.stage-points")
                    .mapType()
                    .defaultValue(
                            Map.of("cart", "0", "checkout", "5", "shipping", "10", "payment", "15"))
                    .withDescription(
                            "Points by furthest stage (cart, checkout, shipping, payment); a"
                                    + " stage not listed earns none.");

    public static final ConfigOption<Map<String, String>> REASON_POINTS =
            ConfigOptions.key("priority.reason-points")
                    .mapType()
                    .defaultValue(
                            Map.of(
                                    "payment_problem", "10",
                                    "unexpected_costs", "5",
                                    "complicated_checkout", "5",
                                    "unknown", "0"))
                    .withDescription(
                            "Points by reason hint; a fixable obstacle (payment, costs) makes a"
                                    + " contact more likely to recover the cart.");

    public static final ConfigOption<Integer> RECENCY_POINTS =
            ConfigOptions.key("priority.recency.points")
                    .intType()
                    .defaultValue(15)
                    .withDescription(
                            "Points for a fresh abandonment, falling linearly to none at"
                                    + " priority.recency.horizon.");

    public static final ConfigOption<Duration> RECENCY_HORIZON =
            ConfigOptions.key("priority.recency.horizon")
                    .durationType()
                    .defaultValue(Duration.ofHours(24))
                    .withDescription("Age of an abandonment at which it earns no recency points.");

    public static final ConfigOption<Double> PROBABILITY_MIN =
            ConfigOptions.key("priority.probability.min")
                    .doubleType()
                    .defaultValue(0.02)
                    .withDescription("Recovery probability of a score of 0.");

    public static final ConfigOption<Double> PROBABILITY_MAX =
            ConfigOptions.key("priority.probability.max")
                    .doubleType()
                    .defaultValue(0.40)
                    .withDescription(
                            "Recovery probability of a score of 100; scores between are linear.");

    public static final ConfigOption<Double> TIER_HIGH =
            ConfigOptions.key("priority.tier.high")
                    .doubleType()
                    .defaultValue(40.0)
                    .withDescription(
                            "Expected recovered value (store currency) from which a cart is high"
                                    + " tier: an agent call.");

    public static final ConfigOption<Double> TIER_MIDDLE =
            ConfigOptions.key("priority.tier.middle")
                    .doubleType()
                    .defaultValue(8.0)
                    .withDescription(
                            "Expected recovered value from which a cart is middle tier: a"
                                    + " WhatsApp or SMS message. Below it: e-mail.");

    /**
     * The priority model these settings describe.
     *
     * @throws ConfigException naming the setting at fault
     */
    public static PriorityModel model(ReadableConfig config) {
        BigDecimal probabilityMin = probability(config, PROBABILITY_MIN);
        BigDecimal probabilityMax = probability(config, PROBABILITY_MAX);
        if (probabilityMin.compareTo(probabilityMax) > 0) {
            throw new ConfigException(
                    PROBABILITY_MIN.key() + " must not exceed " + PROBABILITY_MAX.key());
        }
        BigDecimal tierHigh = BigDecimal.valueOf(amount(config, TIER_HIGH));
        BigDecimal tierMiddle = BigDecimal.valueOf(amount(config, TIER_MIDDLE));
        if (tierMiddle.compareTo(tierHigh) > 0) {
            throw new ConfigException(TIER_MIDDLE.key() + " must not exceed " + TIER_HIGH.key());
        }
        return new PriorityModel(
                new PriorityWeights(
                        nonNegative(config, BASE),
                        nonNegative(config, CART_VALUE_POINTS),
                        positive(config, CART_VALUE_FULL),
                        nonNegative(config, ORDERS_POINTS),
                        nonNegative(config, ORDERS_FULL),
                        nonNegative(config, LIFETIME_VALUE_POINTS),
                        positive(config, LIFETIME_VALUE_FULL),
                        nonNegative(config, ITEMS_POINTS),
                        nonNegative(config, ITEMS_FULL),
                        nonNegative(config, VIEWS_POINTS),
                        nonNegative(config, VIEWS_FULL),
                        nonNegative(config, PRODUCTS_VIEWED_POINTS),
                        nonNegative(config, PRODUCTS_VIEWED_FULL),
                        nonNegative(config, TIME_ON_SITE_POINTS),
                        positiveMillis(config, TIME_ON_SITE_FULL),
                        nonNegative(config, CHECKOUT_STEPS_POINTS),
                        nonNegative(config, CHECKOUT_STEPS_FULL),
                        nonNegative(config, ERRORS_POINTS),
                        nonNegative(config, ERRORS_FULL),
                        nonNegative(config, PREVIOUS_ABANDONMENTS_POINTS),
                        nonNegative(config, PREVIOUS_ABANDONMENTS_FULL),
                        points(config, STAGE_POINTS, Stage.class),
                        points(config, REASON_POINTS, ReasonHint.class),
                        nonNegative(config, RECENCY_POINTS),
                        positiveMillis(config, RECENCY_HORIZON),
                        probabilityMin,
                        probabilityMax,
                        tierHigh,
                        tierMiddle));
    }

    private static int nonNegative(ReadableConfig config, ConfigOption<Integer> option) {
        int value = Configs.get(config, option);
        if (value < 0) {
            throw new ConfigException(option.key() + " must not be negative");
        }
        return value;
    }

    private static long positiveMillis(ReadableConfig config, ConfigOption<Duration> option) {
        Duration value = Configs.get(config, option);
        if (value.isNegative() || value.isZero()) {
            throw new ConfigException(option.key() + " must be positive");
        }
        return value.toMillis();
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

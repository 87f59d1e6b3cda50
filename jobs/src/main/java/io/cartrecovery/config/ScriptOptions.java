package io.cartrecovery.config;

import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Call scripts and messages: where a store's templates live, its cart links and its incentive rule
 * (docs/scripts.md). Per-store settings are STORE:VALUE pairs; the key {@code *} is every store
 * without its own entry.
 */
public final class ScriptOptions {
    private ScriptOptions() {}

    public static final ConfigOption<String> TEMPLATES_DIR =
            ConfigOptions.key("scripts.templates-dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Folder of template files that replace the shipped ones:"
                                    + " LANG/NAME.mustache for every store,"
                                    + " stores/STORE/LANG/NAME.mustache for one. Read and checked"
                                    + " at job start; a broken file stops the start naming it.");

    public static final ConfigOption<Map<String, String>> CART_URL =
            ConfigOptions.key("scripts.cart-url")
                    .mapType()
                    .defaultValue(Map.of())
                    .withDescription(
                            "Link to a cart in messages, per store, as a template with"
                                    + " {{store_id}} and {{cart_id}} (URL-encoded), e.g."
                                    + " *:'https://shop.example/cart/{{cart_id}}' (quote values"
                                    + " with ':'). None: messages go without a link.");

    public static final ConfigOption<Map<String, String>> STORE_NAME =
            ConfigOptions.key("scripts.store-name")
                    .mapType()
                    .defaultValue(Map.of())
                    .withDescription(
                            "How scripts and messages name the store, per store, e.g."
                                    + " 'shop-1:Trail Shop'. None: a neutral wording.");

    public static final ConfigOption<Map<String, String>> INCENTIVE_MAX_PERCENT =
            ConfigOptions.key("scripts.incentive.max-percent")
                    .mapType()
                    .defaultValue(Map.of())
                    .withDescription(
                            "The discount an agent may offer, in whole percent of the cart (1-50),"
                                    + " per store, e.g. 'shop-1:10'. A store without one offers no"
                                    + " incentive.");

    public static final ConfigOption<Map<String, String>> INCENTIVE_MIN_CART_VALUE =
            ConfigOptions.key("scripts.incentive.min-cart-value")
                    .mapType()
                    .defaultValue(Map.of("*", "100"))
                    .withDescription(
                            "Smallest cart value (the cart's currency) that gets an incentive,"
                                    + " per store.");

    public static final ConfigOption<Map<String, String>> INCENTIVE_RECENT_ORDER =
            ConfigOptions.key("scripts.incentive.recent-order")
                    .mapType()
                    .defaultValue(Map.of("*", "30 d"))
                    .withDescription(
                            "No incentive for a customer whose last order is this recent (they"
                                    + " just paid full price), per store, as a duration.");
}

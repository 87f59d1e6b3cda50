package io.cartrecovery.config;

import io.cartrecovery.scripts.PerStore;
import io.cartrecovery.scripts.Scripts;
import io.cartrecovery.scripts.Templates;
import io.cartrecovery.settings.ConfigException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.util.TimeUtils;

/**
 * Call scripts and messages: where a store's templates live, its cart links and its incentive rule
 * (docs/scripts.md). Per-store settings are STORE:VALUE pairs; the key {@code *} is every store
 * without its own entry.
 */
public final class ScriptOptions {
    private ScriptOptions() {}

    public static final ConfigOption<String> TEMPLATES_DIR =
            ConfigOptions.key(Templates.SETTING)
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

    /**
     * Reads, compiles and checks every template and setting of the scripts once.
     *
     * @throws ConfigException one line naming the setting (and the template file) at fault
     */
    public static Scripts scripts(ReadableConfig config) {
        return new Scripts(
                Templates.load(config.getOptional(TEMPLATES_DIR).orElse(null)),
                perStore(config, CART_URL, Scripts::urlTemplate),
                perStore(config, STORE_NAME, Scripts::storeName),
                perStore(
                        config,
                        INCENTIVE_MAX_PERCENT,
                        value -> {
                            int percent;
                            try {
                                percent = Integer.parseInt(value);
                            } catch (NumberFormatException e) {
                                percent = -1;
                            }
                            if (percent < 0 || percent > Scripts.MAX_PERCENT) {
                                throw new IllegalArgumentException(
                                        "needs a whole percent from 0 to " + Scripts.MAX_PERCENT);
                            }
                            return percent;
                        }),
                perStore(
                        config,
                        INCENTIVE_MIN_CART_VALUE,
                        value -> {
                            BigDecimal amount;
                            try {
                                amount = new BigDecimal(value);
                            } catch (NumberFormatException e) {
                                amount = null;
                            }
                            if (amount == null || amount.signum() < 0) {
                                throw new IllegalArgumentException("needs an amount, not negative");
                            }
                            return amount;
                        }),
                perStore(
                        config,
                        INCENTIVE_RECENT_ORDER,
                        value -> {
                            Duration duration = TimeUtils.parseDuration(value);
                            if (duration.isNegative()) {
                                throw new IllegalArgumentException("must not be negative");
                            }
                            return duration;
                        }));
    }

    /** The scripts with every setting at its default. */
    public static Scripts defaultScripts() {
        return scripts(new Configuration());
    }

    /**
     * A setting given per store as STORE:VALUE pairs; a map that names no {@code *} keeps the
     * option's default one.
     *
     * @param parse turns one value into T, or throws IllegalArgumentException whose message says
     *     what is wrong with it
     * @throws ConfigException naming the setting and the store
     */
    private static <T extends Serializable> PerStore<T> perStore(
            ReadableConfig config,
            ConfigOption<Map<String, String>> option,
            Function<String, T> parse) {
        Map<String, T> values = new HashMap<>();
        for (Map.Entry<String, String> entry : Configs.get(config, option).entrySet()) {
            String store = entry.getKey().strip();
            if (store.isEmpty()) {
                throw new ConfigException(option.key() + ": empty store id");
            }
            try {
                values.put(store, parse.apply(entry.getValue().strip()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        option.key() + ": '" + entry.getKey() + "' " + e.getMessage());
            }
        }
        // Setting one store's value must not drop the default for all the others.
        if (!values.containsKey(PerStore.ANY) && option.hasDefaultValue()) {
            String fallback = option.defaultValue().get(PerStore.ANY);
            if (fallback != null) {
                values.put(PerStore.ANY, parse.apply(fallback));
            }
        }
        return PerStore.of(values);
    }
}

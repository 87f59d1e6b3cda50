package io.cartrecovery.config;

import io.cartrecovery.settings.ConfigException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.util.TimeUtils;

/** When a cart counts as abandoned, and which signals set its reason hint. */
public final class DetectionOptions {
    private DetectionOptions() {}

    public static final ConfigOption<Duration> GAP =
            ConfigOptions.key("detection.gap")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "Inactivity (event time) after which a cart with items and no"
                                    + " purchase is abandoned, unless detection.gaps says"
                                    + " otherwise.");

    public static final ConfigOption<Map<String, String>> GAPS =
            ConfigOptions.key("detection.gaps")
                    .mapType()
                    .defaultValue(Map.of())
                    .withDescription(
                            "Gap overrides as KEY:DURATION pairs. KEY is STORE.STAGE, STORE,"
                                    + " or *.STAGE (stage: cart, checkout, shipping, payment);"
                                    + " the most specific wins. Example:"
                                    + " 'shop-1.payment:5min,shop-1:15min,*.checkout:20min'.");

    public static final ConfigOption<Duration> TASK_RETENTION =
            ConfigOptions.key("detection.task-retention")
                    .durationType()
                    .defaultValue(Duration.ofDays(7))
                    .withDescription(
                            "How long after abandonment a cart is still watched, so that a"
                                    + " purchase cancels its open task. Then its state is freed.");

    public static final ConfigOption<Duration> SHIPPING_SILENCE =
            ConfigOptions.key("detection.signal.shipping-silence")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "A shipping cost shown and no payment step within this time hints"
                                    + " 'unexpected_costs'. Keep it at most the smallest gap.");

    public static final ConfigOption<Integer> PAYMENT_FAILURES =
            ConfigOptions.key("detection.signal.payment-failures")
                    .intType()
                    .defaultValue(2)
                    .withDescription(
                            "This many payment_failed events within the signal window hint"
                                    + " 'payment_problem'.");

    public static final ConfigOption<Integer> CHECKOUT_ERRORS =
            ConfigOptions.key("detection.signal.checkout-errors")
                    .intType()
                    .defaultValue(2)
                    .withDescription(
                            "This many checkout_error events within the signal window hint"
                                    + " 'complicated_checkout'.");

    public static final ConfigOption<Duration> LONG_CHECKOUT =
            ConfigOptions.key("detection.signal.long-checkout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(15))
                    .withDescription(
                            "A checkout still going (no purchase) this long after it started"
                                    + " hints 'complicated_checkout'. Must be below the signal"
                                    + " window.");

    public static final ConfigOption<Duration> SIGNAL_WINDOW =
            ConfigOptions.key("detection.signal.window")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(30))
                    .withDescription("Event-time window of the repeated-failure signals.");

    /**
     * The {@link #GAPS} overrides with their durations parsed; a value that is not a duration is a
     * one-line error naming it. The keys are the gap policy's to check.
     */
    public static Map<String, Duration> gaps(ReadableConfig config) {
        Map<String, Duration> gaps = new LinkedHashMap<>();
        Configs.get(config, GAPS)
                .forEach(
                        (key, value) -> {
                            try {
                                gaps.put(key, TimeUtils.parseDuration(value.strip()));
                            } catch (IllegalArgumentException e) {
                                throw new ConfigException(
                                        "detection.gaps: '"
                                                + value
                                                + "' for '"
                                                + key
                                                + "' is not a duration (e.g. 15 min)");
                            }
                        });
        return gaps;
    }
}

package io.cartrecovery.config;

import io.cartrecovery.followup.Cadence;
import io.cartrecovery.followup.Step;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.settings.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.util.TimeUtils;

/** The follow-up cadence, the holdout and attribution (docs/followup.md). */
public final class FollowUpOptions {
    private FollowUpOptions() {}

    public static final ConfigOption<String> STEPS =
            ConfigOptions.key("followup.steps")
                    .stringType()
                    .defaultValue("0m:call,4h:whatsapp,24h:call,48h:email,70h:call")
                    .withDescription(
                            "The contact attempts of an abandoned cart, OFFSET:CHANNEL separated by"
                                    + " commas: each is issued at abandoned_at + OFFSET (the first"
                                    + " must be 0m, issued at detection and due within"
                                    + " tasks.first-contact-sla) on CHANNEL (call, whatsapp, sms,"
                                    + " email), or the next cheaper channel the customer consents"
                                    + " to and the cart's tier allows.");

    public static final ConfigOption<Double> HOLDOUT_SHARE =
            ConfigOptions.key("followup.holdout-share")
                    .doubleType()
                    .defaultValue(0.10)
                    .withDescription(
                            "Share of contactable abandoned carts (0 to 0.5) held out on purpose:"
                                    + " no task at all, only tracked, so their natural recovery"
                                    + " rate is the baseline of the lift. Chosen by a stable hash"
                                    + " of store and cart: replays and restarts agree.");

    public static final ConfigOption<Duration> ATTRIBUTION_WINDOW =
            ConfigOptions.key("followup.attribution-window")
                    .durationType()
                    .defaultValue(Duration.ofDays(7))
                    .withDescription(
                            "A purchase this long or less after a contact attempt (after"
                                    + " abandonment for holdout carts) counts as a recovery.");

    public static final ConfigOption<Duration> ATTEMPT_EXPIRY =
            ConfigOptions.key("followup.attempt-expiry")
                    .durationType()
                    .defaultValue(Duration.ofHours(24))
                    .withDescription(
                            "The last attempt of a sequence with no outcome this long after it"
                                    + " could first be made (its not_before, else its issue)"
                                    + " expires, and the sequence ends.");

    public static final ConfigOption<Duration> HORIZON =
            ConfigOptions.key("followup.horizon")
                    .durationType()
                    .defaultValue(Duration.ofHours(72))
                    .withDescription(
                            "No step is issued later than this after the cart's first contact"
                                    + " moment (attempt 1's not_before, else its issue): waits"
                                    + " for the contact window or a cap push the cadence back,"
                                    + " and the steps pushed past this are not made. At least the"
                                    + " last step's offset.");

    public static final ConfigOption<Duration> BLOCK_RETENTION =
            ConfigOptions.key("followup.block-retention")
                    .durationType()
                    .defaultValue(Duration.ofDays(5 * 365))
                    .withDescription(
                            "How long the follow-up keeps what outcomes taught about a customer"
                                    + " (do_not_contact, and the channels wrong_number or bounced"
                                    + " took out of use) once none of their carts is followed,"
                                    + " counted from the latest such outcome. The customer"
                                    + " profile's do_not_contact flag is the lasting record and"
                                    + " is honoured on every cart; set this to what your rules"
                                    + " require.");

    public static final ConfigOption<Duration> PROMISE_REMINDER =
            ConfigOptions.key("followup.promise-reminder")
                    .durationType()
                    .defaultValue(Duration.ofHours(24))
                    .withDescription(
                            "After promised_to_buy, one reminder message this long after the"
                                    + " promise, then the sequence ends.");

    /**
     * The follow-up cadence these settings describe.
     *
     * @throws ConfigException naming the setting at fault
     */
    public static Cadence cadence(ReadableConfig config) {
        double share = Configs.get(config, HOLDOUT_SHARE);
        if (!(share >= 0 && share <= 0.5)) {
            throw new ConfigException(HOLDOUT_SHARE.key() + " must be from 0 to 0.5, got " + share);
        }
        List<Step> steps = steps(Configs.get(config, STEPS));
        long horizon = positive(config, HORIZON);
        long lastOffset = steps.get(steps.size() - 1).offsetMillis();
        if (horizon < lastOffset) {
            throw new ConfigException(
                    HORIZON.key()
                            + " must be at least the last step's offset ("
                            + TimeUtils.formatWithHighestUnit(Duration.ofMillis(lastOffset))
                            + "), got "
                            + TimeUtils.formatWithHighestUnit(Duration.ofMillis(horizon)));
        }
        return new Cadence(
                steps,
                share,
                positive(config, ATTRIBUTION_WINDOW),
                positive(config, ATTEMPT_EXPIRY),
                positive(config, PROMISE_REMINDER),
                horizon,
                positive(config, BLOCK_RETENTION));
    }

    static List<Step> steps(String text) {
        String key = STEPS.key();
        List<Step> steps = new ArrayList<>();
        for (String part : text.split(",")) {
            String item = part.strip();
            int colon = item.lastIndexOf(':');
            if (colon <= 0) {
                throw new ConfigException(key + ": '" + item + "' is not OFFSET:CHANNEL");
            }
            Duration offset;
            try {
                offset = TimeUtils.parseDuration(item.substring(0, colon).strip());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + ": '" + item + "' has no valid offset");
            }
            String name = item.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
            Channel channel =
                    Arrays.stream(Channel.values())
                            .filter(c -> c.wireName().equals(name))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new ConfigException(
                                                    key
                                                            + ": channel '"
                                                            + name
                                                            + "' is not one of "
                                                            + Arrays.stream(Channel.values())
                                                                    .map(Channel::wireName)
                                                                    .collect(
                                                                            Collectors.joining(
                                                                                    ", "))));
            long millis = offset.toMillis();
            if (steps.isEmpty() && millis != 0) {
                throw new ConfigException(key + ": the first step must be at 0m");
            }
            if (!steps.isEmpty() && millis <= steps.get(steps.size() - 1).offsetMillis()) {
                throw new ConfigException(key + ": offsets must increase, '" + item + "' does not");
            }
            steps.add(new Step(millis, channel));
        }
        if (steps.size() > Cadence.MAX_STEPS) {
            throw new ConfigException(key + ": at most " + Cadence.MAX_STEPS + " steps");
        }
        return steps;
    }

    private static long positive(ReadableConfig config, ConfigOption<Duration> option) {
        Duration value = Configs.get(config, option);
        if (value.isNegative() || value.isZero()) {
            throw new ConfigException(option.key() + " must be positive, got " + value);
        }
        return value.toMillis();
    }
}

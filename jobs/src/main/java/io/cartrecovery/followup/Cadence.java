package io.cartrecovery.followup;

import io.cartrecovery.config.ConfigException;
import io.cartrecovery.config.Configs;
import io.cartrecovery.config.FollowUpOptions;
import io.cartrecovery.priority.Channel;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.util.TimeUtils;

/**
 * The follow-up settings, read and checked once (docs/followup.md).
 *
 * @param steps the configured steps, the first at offset 0, offsets strictly increasing
 * @param holdoutShare share of contactable carts held out, 0 to 0.5
 * @param attributionWindowMillis how long after an attempt a purchase counts as a recovery
 * @param attemptExpiryMillis how long the last attempt waits for an outcome
 * @param promiseReminderMillis delay of the reminder after promised_to_buy
 */
public record Cadence(
        List<Step> steps,
        double holdoutShare,
        long attributionWindowMillis,
        long attemptExpiryMillis,
        long promiseReminderMillis)
        implements Serializable {

    /** More steps than this is not a cadence but spam. */
    public static final int MAX_STEPS = 10;

    public Cadence {
        steps = List.copyOf(steps);
    }

    public static Cadence from(ReadableConfig config) {
        double share = Configs.get(config, FollowUpOptions.HOLDOUT_SHARE);
        if (!(share >= 0 && share <= 0.5)) {
            throw new ConfigException(
                    FollowUpOptions.HOLDOUT_SHARE.key() + " must be from 0 to 0.5, got " + share);
        }
        return new Cadence(
                steps(Configs.get(config, FollowUpOptions.STEPS)),
                share,
                positive(config, FollowUpOptions.ATTRIBUTION_WINDOW),
                positive(config, FollowUpOptions.ATTEMPT_EXPIRY),
                positive(config, FollowUpOptions.PROMISE_REMINDER));
    }

    static List<Step> steps(String text) {
        String key = FollowUpOptions.STEPS.key();
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
        if (steps.size() > MAX_STEPS) {
            throw new ConfigException(key + ": at most " + MAX_STEPS + " steps");
        }
        return steps;
    }

    private static long positive(
            ReadableConfig config, org.apache.flink.configuration.ConfigOption<Duration> option) {
        Duration value = Configs.get(config, option);
        if (value.isNegative() || value.isZero()) {
            throw new ConfigException(option.key() + " must be positive, got " + value);
        }
        return value.toMillis();
    }
}

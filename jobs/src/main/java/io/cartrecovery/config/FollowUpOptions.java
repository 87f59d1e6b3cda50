package io.cartrecovery.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

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

    public static final ConfigOption<Duration> PROMISE_REMINDER =
            ConfigOptions.key("followup.promise-reminder")
                    .durationType()
                    .defaultValue(Duration.ofHours(24))
                    .withDescription(
                            "After promised_to_buy, one reminder message this long after the"
                                    + " promise, then the sequence ends.");
}

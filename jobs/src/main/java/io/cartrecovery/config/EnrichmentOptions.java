package io.cartrecovery.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** How abandoned carts meet customer profiles (docs/profiles.md). */
public final class EnrichmentOptions {
    private EnrichmentOptions() {}

    public static final ConfigOption<Duration> PROFILE_WAIT =
            ConfigOptions.key("enrichment.profile-wait")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "How long (processing time) a cart of a customer without a profile"
                                    + " waits for one before it goes on unenriched. 0: do not"
                                    + " wait.");

    public static final ConfigOption<String> STORE_TIME_ZONE =
            ConfigOptions.key("enrichment.store-time-zone")
                    .stringType()
                    .defaultValue("UTC")
                    .withDescription(
                            "IANA zone of customers whose profile names none, e.g."
                                    + " Europe/Madrid.");
}

package io.cartrecovery.config;

import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** How abandoned carts meet customer profiles (docs/profiles.md). */
public final class EnrichmentOptions {
    private EnrichmentOptions() {}

    public static final ConfigOption<String> STORE_TIME_ZONE =
            ConfigOptions.key("enrichment.store-time-zone")
                    .stringType()
                    .defaultValue("UTC")
                    .withDescription(
                            "IANA zone of customers whose profile names none and whose phone"
                                    + " number does not map to exactly one zone, e.g."
                                    + " Europe/Madrid.");

    public static final ConfigOption<Map<String, String>> STORE_TIME_ZONES =
            ConfigOptions.key("enrichment.store-time-zones")
                    .mapType()
                    .defaultValue(Map.of())
                    .withDescription(
                            "Per-store zones as STORE:ZONE pairs, e.g."
                                    + " 'shop-1:Europe/Madrid,shop-2:America/Mexico_City'; a"
                                    + " store left out uses enrichment.store-time-zone.");
}

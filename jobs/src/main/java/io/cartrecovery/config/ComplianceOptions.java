package io.cartrecovery.config;

import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** When and how often customers may be contacted (docs/compliance.md). */
public final class ComplianceOptions {
    private ComplianceOptions() {}

    public static final ConfigOption<String> CONTACT_WINDOW =
            ConfigOptions.key("compliance.contact-window")
                    .stringType()
                    .defaultValue("08:00-21:00")
                    .withDescription(
                            "Hours HH:MM-HH:MM (end excluded, 24:00 allowed) in the customer's"
                                    + " local time in which calls and messages are allowed,"
                                    + " every day of every store unless"
                                    + " compliance.contact-windows says otherwise.");

    public static final ConfigOption<Map<String, String>> CONTACT_WINDOWS =
            ConfigOptions.key("compliance.contact-windows")
                    .mapType()
                    .defaultValue(Map.of())
                    .withDescription(
                            "Contact window overrides as KEY:HOURS pairs. KEY is STORE.DAY,"
                                    + " STORE, or *.DAY (day: mon, tue, wed, thu, fri, sat,"
                                    + " sun); HOURS is HH:MM-HH:MM or 'closed'. The most"
                                    + " specific wins; every store keeps at least one open day."
                                    + " Quote hours, they hold colons:"
                                    + " \"*.sun:closed,shop-1.sat:'10:00-14:00'\".");

    public static final ConfigOption<Map<String, String>> CAPS =
            ConfigOptions.key("compliance.caps")
                    .mapType()
                    .defaultValue(Map.of())
                    .withDescription(
                            "Frequency caps per customer and channel as CHANNEL:N/DURATION"
                                    + " pairs (rolling window), or CHANNEL:none. Channels left"
                                    + " out keep their default: call 2/24h, whatsapp 1/24h,"
                                    + " sms 1/24h, email 1/24h. A capped contact waits until"
                                    + " the cap frees. Example: 'email:2/7d,call:1/24h'.");
}

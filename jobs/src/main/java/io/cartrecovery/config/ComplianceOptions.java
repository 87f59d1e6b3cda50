package io.cartrecovery.config;

import io.cartrecovery.compliance.ContactPolicy;
import io.cartrecovery.compliance.ContactWindow;
import io.cartrecovery.compliance.FrequencyCap;
import io.cartrecovery.compliance.Hours;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.settings.ConfigException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.util.TimeUtils;

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

    /**
     * Reads the rules from the configuration; a bad setting is a one-line {@link ConfigException}.
     */
    public static ContactPolicy contactPolicy(ReadableConfig config) {
        Hours base = hours(CONTACT_WINDOW.key(), Configs.get(config, CONTACT_WINDOW));
        String key = CONTACT_WINDOWS.key();
        // Normalised keys STORE.DAY, STORE, *.DAY; an empty value is a closed day.
        Map<String, Optional<Hours>> overrides = new HashMap<>();
        Set<String> stores = new HashSet<>();
        for (Map.Entry<String, String> e : Configs.get(config, CONTACT_WINDOWS).entrySet()) {
            String k = e.getKey().strip();
            String v = e.getValue().strip();
            int dot = k.lastIndexOf('.');
            DayOfWeek day = dot < 0 ? null : day(k.substring(dot + 1));
            String store = day == null ? k : k.substring(0, dot);
            if (store.isEmpty() || (store.equals("*") && day == null)) {
                throw new ConfigException(key + ": '" + k + "' is not STORE.DAY, STORE or *.DAY");
            }
            overrides.put(
                    day == null ? store : store + "." + day,
                    v.equalsIgnoreCase("closed") ? Optional.empty() : Optional.of(hours(key, v)));
            if (!store.equals("*")) {
                stores.add(store);
            }
        }
        Map<String, ContactWindow> storeWindows = new HashMap<>();
        for (String store : stores) {
            storeWindows.put(store, window(key, store, base, overrides));
        }
        return new ContactPolicy(
                window(key, "*", base, overrides),
                storeWindows,
                caps(config),
                zone(
                        EnrichmentOptions.STORE_TIME_ZONE.key(),
                        Configs.get(config, EnrichmentOptions.STORE_TIME_ZONE)),
                storeZones(config));
    }

    /** Per day: STORE.DAY, then STORE, then *.DAY, then the base hours; the most specific wins. */
    private static ContactWindow window(
            String key, String store, Hours base, Map<String, Optional<Hours>> overrides) {
        Map<DayOfWeek, Hours> days = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            Optional<Hours> hours = overrides.get(store + "." + d);
            if (hours == null) {
                hours = overrides.get(store);
            }
            if (hours == null) {
                hours = overrides.get("*." + d);
            }
            if (hours == null) {
                hours = Optional.of(base);
            }
            hours.ifPresent(h -> days.put(d, h));
        }
        if (days.isEmpty()) {
            throw new ConfigException(
                    key
                            + ": "
                            + (store.equals("*") ? "every day" : "store " + store)
                            + " is closed");
        }
        return new ContactWindow(days);
    }

    private static Hours hours(String key, String text) {
        try {
            return Hours.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage());
        }
    }

    private static DayOfWeek day(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            String full = d.name().toLowerCase(Locale.ROOT);
            if (t.equals(full) || t.equals(full.substring(0, 3))) {
                return d;
            }
        }
        return null;
    }

    private static Map<Channel, FrequencyCap> caps(ReadableConfig config) {
        Map<Channel, FrequencyCap> caps = new EnumMap<>(ContactPolicy.DEFAULT_CAPS);
        String key = CAPS.key();
        for (Map.Entry<String, String> e : Configs.get(config, CAPS).entrySet()) {
            String name = e.getKey().strip().toUpperCase(Locale.ROOT);
            Channel channel;
            try {
                channel = Channel.valueOf(name);
            } catch (IllegalArgumentException ex) {
                throw new ConfigException(
                        key
                                + ": unknown channel '"
                                + e.getKey().strip()
                                + "' (call, whatsapp, sms, email)");
            }
            String value = e.getValue().strip();
            if (value.equalsIgnoreCase("none")) {
                caps.remove(channel);
                continue;
            }
            try {
                caps.put(channel, frequencyCap(value));
            } catch (IllegalArgumentException ex) {
                throw new ConfigException(key + ": " + channel.wireName() + ": " + ex.getMessage());
            }
        }
        return caps;
    }

    private static Map<String, String> storeZones(ReadableConfig config) {
        Map<String, String> zones = new HashMap<>();
        String key = EnrichmentOptions.STORE_TIME_ZONES.key();
        for (Map.Entry<String, String> e :
                Configs.get(config, EnrichmentOptions.STORE_TIME_ZONES).entrySet()) {
            zones.put(e.getKey().strip(), zone(key, e.getValue()));
        }
        return zones;
    }

    private static String zone(String key, String text) {
        try {
            return ZoneId.of(text.strip()).getId();
        } catch (DateTimeException e) {
            throw new ConfigException(key + ": unknown time zone '" + text.strip() + "'");
        }
    }

    /**
     * @param text {@code N/DURATION}, e.g. {@code 1/24h}
     * @throws IllegalArgumentException with a one-line reason
     */
    static FrequencyCap frequencyCap(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + s + "' is not N/DURATION, e.g. 1/24h");
        }
        int max;
        Duration period;
        try {
            max = Integer.parseInt(s.substring(0, slash).strip());
            period = TimeUtils.parseDuration(s.substring(slash + 1).strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + s + "' is not N/DURATION, e.g. 1/24h");
        }
        if (max < 1 || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException(
                    "'" + s + "' needs at least 1 contact and a positive period");
        }
        return new FrequencyCap(max, period.toMillis());
    }
}

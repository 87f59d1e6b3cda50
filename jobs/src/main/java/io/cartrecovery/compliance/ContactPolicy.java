package io.cartrecovery.compliance;

import io.cartrecovery.config.ComplianceOptions;
import io.cartrecovery.config.ConfigException;
import io.cartrecovery.config.Configs;
import io.cartrecovery.config.EnrichmentOptions;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.priority.ContactDecision;
import io.cartrecovery.priority.ContactDecision.Outcome;
import io.cartrecovery.profiles.Consent;
import io.cartrecovery.profiles.CustomerProfile;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The contact rules every task passes, first attempt or follow-up (docs/compliance.md): consent and
 * do-not-contact, the customer's local contact window, and frequency caps per customer and channel.
 * Pure and serializable: whichever keyed operator holds a customer's {@link ContactHistory} calls
 * {@link #plan} and stores the history {@link #record} returns.
 *
 * @param defaultWindow the window of stores without overrides
 * @param storeWindows windows of stores with overrides, by store id
 * @param caps the cap of each capped channel; a channel missing here is not capped
 * @param defaultZone zone of customers of stores without a zone of their own when neither profile
 *     nor phone number tells
 * @param storeZones per-store fallback zones, by store id
 */
public record ContactPolicy(
        ContactWindow defaultWindow,
        Map<String, ContactWindow> storeWindows,
        Map<Channel, FrequencyCap> caps,
        String defaultZone,
        Map<String, String> storeZones)
        implements Serializable {

    /** Calls: a first try and one retry a day; messages: one a day per channel. */
    public static final Map<Channel, FrequencyCap> DEFAULT_CAPS =
            Map.of(
                    Channel.CALL, new FrequencyCap(2, 86_400_000L),
                    Channel.WHATSAPP, new FrequencyCap(1, 86_400_000L),
                    Channel.SMS, new FrequencyCap(1, 86_400_000L),
                    Channel.EMAIL, new FrequencyCap(1, 86_400_000L));

    public ContactPolicy {
        storeWindows = Map.copyOf(storeWindows);
        caps = Map.copyOf(caps);
        storeZones = Map.copyOf(storeZones);
    }

    /**
     * The one hard rule on channels: a contact on {@code channel} at {@code at} needs a customer
     * who is not do-not-contact, whose consent for the channel is granted and was given at or
     * before {@code at}, and whose profile holds the address the channel needs. A revocation counts
     * whatever its time: the profile is the latest word of the customer.
     */
    public static boolean permits(CustomerProfile profile, Channel channel, long at) {
        if (profile == null || profile.doNotContact()) {
            return false;
        }
        Consent consent = profile.consent().getOrDefault(channel, Consent.NONE);
        return consent.granted()
                && (consent.at() == null || consent.at() <= at)
                && profile.reachableBy(channel);
    }

    /** The profile's zone, else the phone number's single zone, else the store's zone. */
    public String zoneOf(String storeId, CustomerProfile profile) {
        if (profile != null && profile.timeZone() != null) {
            return profile.timeZone();
        }
        if (profile != null) {
            var fromPhone = PhoneTimeZones.zoneOf(profile.phone());
            if (fromPhone.isPresent()) {
                return fromPhone.get();
            }
        }
        return storeZones.getOrDefault(storeId, defaultZone);
    }

    public ContactWindow windowOf(String storeId) {
        return storeWindows.getOrDefault(storeId, defaultWindow);
    }

    /**
     * Decides one contact: whether there is a task, on which channel, and when.
     *
     * @param taskId the task the contact belongs to (a re-issued task replaces its pending contact)
     * @param profile the customer's profile, or null for an anonymous or unknown customer: no task
     *     (there are no contact details to use and no consent)
     * @param channels the channels to try, in order of preference
     * @param issuedAt epoch millis (event time) at which the task is issued
     * @param dueAt epoch millis by which it is due if nothing stands in the way
     * @param history the customer's planned contacts
     */
    public ContactPlan plan(
            String storeId,
            String taskId,
            CustomerProfile profile,
            List<Channel> channels,
            long issuedAt,
            long dueAt,
            ContactHistory history) {
        String zone = zoneOf(storeId, profile);
        if (profile == null) {
            // No contact details and no consent: nobody to contact, so no task.
            return new ContactPlan(new ContactDecision(Outcome.UNKNOWN_CUSTOMER, null), zone, null);
        }
        if (profile.doNotContact()) {
            return new ContactPlan(new ContactDecision(Outcome.DO_NOT_CONTACT, null), zone, null);
        }
        for (Channel channel : channels) {
            if (permits(profile, channel, issuedAt)) {
                List<Long> planned = history.counting(channel, taskId, issuedAt);
                return new ContactPlan(
                        ContactDecision.contact(channel),
                        zone,
                        timing(storeId, zone, caps.get(channel), planned, issuedAt, dueAt));
            }
        }
        return new ContactPlan(new ContactDecision(Outcome.NO_CONSENTED_CHANNEL, null), zone, null);
    }

    /** The history without contacts that no cap counts any more at {@code now}. */
    public ContactHistory prune(ContactHistory history, long now) {
        return history.prunedAt(now, longestCapPeriod());
    }

    /** When no cap counts any contact of the history any more (it can then be dropped). */
    public long forgottenAt(ContactHistory history) {
        return history.latest() + longestCapPeriod();
    }

    private long longestCapPeriod() {
        return caps.values().stream().mapToLong(FrequencyCap::periodMillis).max().orElse(0);
    }

    /** The history with the plan's contact added; unchanged when the plan names no channel. */
    public ContactHistory record(
            ContactHistory history, String taskId, ContactPlan plan, long issuedAt) {
        if (plan.channel() == null || plan.timing() == null) {
            return history;
        }
        long longest = longestCapPeriod();
        return history.with(
                new ContactHistory.Contact(taskId, plan.channel(), plan.timing().contactAt()),
                issuedAt,
                longest);
    }

    /**
     * A task may be worked from its start until its due moment, and all of that must lie in one
     * opening of the window. If it does, nothing changes (or only {@code not_before} is set, when
     * the task arrives before the window opens). If the due moment falls outside, or the cap is
     * full, the task starts at the next allowed moment after its due moment where the time it would
     * have had ({@code due - issued}) fits before the opening closes; only an opening shorter than
     * that cuts {@code due_by} at its end.
     */
    private ContactTiming timing(
            String storeId,
            String zoneId,
            FrequencyCap cap,
            List<Long> planned,
            long issuedAt,
            long dueAt) {
        ContactWindow window = windowOf(storeId);
        ZoneId zone = ZoneId.of(zoneId);
        long start = earliest(window, zone, cap, planned, issuedAt);
        if (start <= dueAt && dueAt < window.openingEnd(start, zone)) {
            return new ContactTiming(start > issuedAt ? start : null, dueAt, start);
        }
        long span = Math.max(dueAt - issuedAt, 0);
        long at = earliest(window, zone, cap, planned, Math.max(dueAt, start));
        // Like the task as issued, the moved one must fit its opening; an opening shorter than
        // the span cannot, and the task takes what its opening has (due_by is cut below).
        for (int i = 0; i < 31; i++) {
            long end = window.openingEnd(at, zone);
            if (at + span < end || !window.allows(at - 1, zone)) {
                break;
            }
            at = earliest(window, zone, cap, planned, end);
        }
        long dueBy = Math.min(at + span, window.openingEnd(at, zone) - 1);
        return new ContactTiming(at > issuedAt ? at : null, dueBy, at);
    }

    /** The first moment at or after {@code from} inside the window with the cap free. */
    private static long earliest(
            ContactWindow window, ZoneId zone, FrequencyCap cap, List<Long> planned, long from) {
        long t = from;
        for (int i = 0; i < 10_000; i++) {
            long open = window.nextAllowed(t, zone);
            long free = cap == null ? open : cap.nextFree(planned, open);
            if (free == open) {
                return open;
            }
            t = free;
        }
        throw new IllegalStateException("no moment both inside the window and under the cap");
    }

    /**
     * Reads the rules from the configuration; a bad setting is a one-line {@link ConfigException}.
     */
    public static ContactPolicy from(ReadableConfig config) {
        Hours base =
                hours(
                        ComplianceOptions.CONTACT_WINDOW.key(),
                        Configs.get(config, ComplianceOptions.CONTACT_WINDOW));
        String key = ComplianceOptions.CONTACT_WINDOWS.key();
        // Normalised keys STORE.DAY, STORE, *.DAY; an empty value is a closed day.
        Map<String, Optional<Hours>> overrides = new HashMap<>();
        Set<String> stores = new HashSet<>();
        for (Map.Entry<String, String> e :
                Configs.get(config, ComplianceOptions.CONTACT_WINDOWS).entrySet()) {
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
        Map<Channel, FrequencyCap> caps = new EnumMap<>(DEFAULT_CAPS);
        String key = ComplianceOptions.CAPS.key();
        for (Map.Entry<String, String> e : Configs.get(config, ComplianceOptions.CAPS).entrySet()) {
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
                caps.put(channel, FrequencyCap.parse(value));
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
}

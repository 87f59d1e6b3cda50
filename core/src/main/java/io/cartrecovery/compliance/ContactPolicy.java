package io.cartrecovery.compliance;

import io.cartrecovery.priority.Channel;
import io.cartrecovery.priority.ContactDecision;
import io.cartrecovery.priority.ContactDecision.Outcome;
import io.cartrecovery.profiles.Consent;
import io.cartrecovery.profiles.CustomerProfile;
import java.io.Serializable;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

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
}

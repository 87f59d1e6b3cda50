package io.cartrecovery.compliance;

import io.cartrecovery.priority.Channel;
import java.util.ArrayList;
import java.util.List;

/**
 * The contacts planned for one customer that still count against a frequency cap. Immutable: each
 * change returns a new history, so it can live in any keyed state (today the enrichment operator,
 * keyed by customer; later the follow-up operator) and be checked in plain unit tests.
 *
 * <p>A contact counts at its planned moment: the task's {@code not_before}, else the moment it was
 * issued (an automated message goes out then; a call falls somewhere before {@code due_by}).
 *
 * @param contacts planned contacts, oldest first
 */
public record ContactHistory(List<Contact> contacts) {

    /**
     * @param taskId the task that plans it; a task re-issued (same id, the cart abandoned again)
     *     replaces its contact if that is still in the future
     * @param channel the channel
     * @param at planned moment, epoch millis UTC
     */
    public record Contact(String taskId, Channel channel, long at) {}

    public static final ContactHistory EMPTY = new ContactHistory(List.of());

    public ContactHistory {
        contacts = List.copyOf(contacts);
    }

    /**
     * The contacts that count for a new contact of {@code taskId} decided at {@code now}: the same
     * task's contact that has not happened yet is replaced, not counted.
     */
    List<Long> counting(Channel channel, String taskId, long now) {
        List<Long> out = new ArrayList<>();
        for (Contact c : contacts) {
            if (c.channel() == channel && !(c.taskId().equals(taskId) && c.at() > now)) {
                out.add(c.at());
            }
        }
        return out;
    }

    /**
     * This history with a contact added, the same task's pending contact replaced, and contacts
     * that can no longer count for anything decided from {@code now} on dropped.
     *
     * @param longestPeriod the longest cap period; older contacts never matter again
     */
    public ContactHistory with(Contact contact, long now, long longestPeriod) {
        List<Contact> kept = new ArrayList<>();
        for (Contact c : contacts) {
            boolean replaced = c.taskId().equals(contact.taskId()) && c.at() > now;
            boolean expired = c.at() <= now - longestPeriod;
            if (!replaced && !expired) {
                kept.add(c);
            }
        }
        int i = kept.size();
        while (i > 0 && kept.get(i - 1).at() > contact.at()) {
            i--;
        }
        kept.add(i, contact);
        return new ContactHistory(kept);
    }

    /** This history without the contacts that can no longer count from {@code now} on. */
    public ContactHistory prunedAt(long now, long longestPeriod) {
        List<Contact> kept = new ArrayList<>();
        for (Contact c : contacts) {
            if (c.at() > now - longestPeriod) {
                kept.add(c);
            }
        }
        return kept.size() == contacts.size() ? this : new ContactHistory(kept);
    }

    /** The time of the latest contact, or {@code Long.MIN_VALUE} when there is none. */
    public long latest() {
        long latest = Long.MIN_VALUE;
        for (Contact c : contacts) {
            latest = Math.max(latest, c.at());
        }
        return latest;
    }

    public boolean isEmpty() {
        return contacts.isEmpty();
    }
}

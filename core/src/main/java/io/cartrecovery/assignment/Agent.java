package io.cartrecovery.assignment;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/**
 * A salesperson who makes recovery calls, from the compacted {@code agents} topic
 * (docs/assignment.md, schemas/agent.schema.json). Holds ids and working rules only, no personal
 * data.
 *
 * @param agentId the roster's id, the key of the topic
 * @param stores stores whose customers the agent calls; {@code ["*"]} for every store
 * @param languages languages the agent speaks (BCP 47, matched on the primary subtag); empty: the
 *     agent takes calls in any language
 * @param timeZone IANA zone of the shift hours and of the agent's working day
 * @param shift the weekly shift; empty: never on shift
 * @param maxOpenTasks calls assigned and not yet released, at most
 * @param maxTasksPerDay calls assigned per local day, at most
 * @param active false: takes no new calls (keeps the ones assigned)
 */
public record Agent(
        String agentId,
        List<String> stores,
        List<String> languages,
        String timeZone,
        List<ShiftWindow> shift,
        int maxOpenTasks,
        int maxTasksPerDay,
        boolean active)
        implements Serializable {

    public static final String ALL_STORES = "*";

    public Agent {
        stores = List.copyOf(stores);
        languages = List.copyOf(languages);
        shift = List.copyOf(shift);
    }

    public boolean servesStore(String storeId) {
        return stores.contains(ALL_STORES) || stores.contains(storeId);
    }

    /**
     * @param language the customer's BCP 47 tag, or null when unknown (any agent will do)
     */
    public boolean speaks(String language) {
        if (language == null || languages.isEmpty()) {
            return true;
        }
        String wanted = primary(language);
        return languages.stream().anyMatch(l -> primary(l).equals(wanted));
    }

    private static String primary(String tag) {
        int dash = tag.indexOf('-');
        String head = dash < 0 ? tag : tag.substring(0, dash);
        return head.toLowerCase(Locale.ROOT);
    }

    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }

    /** The agent's working day at {@code time}: the local date in the agent's zone. */
    public LocalDate localDay(long time) {
        return Instant.ofEpochMilli(time).atZone(zone()).toLocalDate();
    }

    /** Whether {@code time} falls in one of the shift's stretches (start inclusive, end not). */
    public boolean onShift(long time) {
        ZoneId zone = zone();
        LocalDate today = localDay(time);
        // A stretch that began yesterday may run over midnight into today.
        for (LocalDate start : List.of(today.minusDays(1), today)) {
            for (ShiftWindow window : shift) {
                if (window.day() == start.getDayOfWeek()
                        && window.startOn(start, zone) <= time
                        && time < window.endOn(start, zone)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The first moment after {@code time} at which this agent may become able to take a queued
     * call: a stretch of the shift starts, or a new local day resets the daily count.
     */
    public long nextChange(long time) {
        ZoneId zone = zone();
        LocalDate today = localDay(time);
        long next = today.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
        for (int days = 0; days <= 7; days++) {
            LocalDate date = today.plusDays(days);
            for (ShiftWindow window : shift) {
                if (window.day() == date.getDayOfWeek()) {
                    long start = window.startOn(date, zone);
                    if (start > time && start < next) {
                        next = start;
                    }
                }
            }
        }
        return next;
    }
}

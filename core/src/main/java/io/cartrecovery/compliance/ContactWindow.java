package io.cartrecovery.compliance;

import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * When a store's customers may be contacted: hours per weekday in the customer's local time; a day
 * missing from {@code days} is closed. Times are epoch millis UTC; the customer's zone turns them
 * into local time, so daylight-saving gaps and overlaps are handled by the zone rules, not by
 * arithmetic on offsets (docs/compliance.md).
 *
 * @param days the open hours of each open weekday
 */
public record ContactWindow(Map<DayOfWeek, Hours> days) implements Serializable {

    /** How far ahead an allowed moment is searched: a week plus a DST week's slack. */
    private static final int SEARCH_DAYS = 15;

    public ContactWindow {
        EnumMap<DayOfWeek, Hours> copy = new EnumMap<>(DayOfWeek.class);
        copy.putAll(days);
        days = Map.copyOf(copy);
        if (days.isEmpty()) {
            throw new IllegalArgumentException("a contact window needs at least one open day");
        }
    }

    /** The same hours every day. */
    public static ContactWindow daily(Hours hours) {
        Map<DayOfWeek, Hours> days = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            days.put(day, hours);
        }
        return new ContactWindow(days);
    }

    /** Whether a contact at {@code at} is inside the window in {@code zone}. */
    public boolean allows(long at, ZoneId zone) {
        LocalDateTime local = LocalDateTime.ofInstant(Instant.ofEpochMilli(at), zone);
        Hours hours = days.get(local.getDayOfWeek());
        return hours != null && hours.contains(local.toLocalTime().toNanoOfDay());
    }

    /**
     * The first moment at or after {@code from} inside the window. Whether a moment is allowed
     * changes only where the local clock reaches a start or an end, or jumps (a zone transition),
     * so the earliest allowed moment is {@code from} itself, a start, or a transition.
     */
    public long nextAllowed(long from, ZoneId zone) {
        if (allows(from, zone)) {
            return from;
        }
        for (long candidate : candidates(from, zone, true)) {
            if (candidate >= from && allows(candidate, zone)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no open contact hours within " + SEARCH_DAYS + " days");
    }

    /**
     * The end of the opening {@code at} lies in: the first later moment outside the window, or
     * {@link Long#MAX_VALUE} for a window open around the clock every day.
     *
     * @param at a moment inside the window
     */
    public long openingEnd(long at, ZoneId zone) {
        for (long candidate : candidates(at, zone, false)) {
            if (candidate > at && !allows(candidate, zone)) {
                return candidate;
            }
        }
        // A weekly pattern open for two weeks on end is open all the time.
        return Long.MAX_VALUE;
    }

    /** Starts (or ends) of each day's hours, and the zone's transitions, in time order. */
    private TreeSet<Long> candidates(long from, ZoneId zone, boolean starts) {
        ZoneRules rules = zone.getRules();
        TreeSet<Long> out = new TreeSet<>();
        LocalDate first = LocalDate.ofInstant(Instant.ofEpochMilli(from), zone).minusDays(1);
        for (int d = 0; d <= SEARCH_DAYS; d++) {
            LocalDate date = first.plusDays(d);
            Hours hours = days.get(date.getDayOfWeek());
            if (hours != null) {
                int minute = starts ? hours.start() : hours.end();
                LocalDateTime local =
                        LocalDateTime.of(date, LocalTime.MIDNIGHT).plusMinutes(minute);
                out.addAll(instantsOf(local, rules));
            }
        }
        long until = first.plusDays(SEARCH_DAYS + 1L).atStartOfDay(zone).toInstant().toEpochMilli();
        Instant cursor = Instant.ofEpochMilli(from).minusSeconds(1);
        ZoneOffsetTransition next;
        while ((next = rules.nextTransition(cursor)) != null
                && next.getInstant().toEpochMilli() <= until) {
            out.add(next.getInstant().toEpochMilli());
            cursor = next.getInstant();
        }
        return out;
    }

    /**
     * Every moment at which the local clock shows {@code local}: none in a gap (the transition,
     * where the clock jumps past it, stands in), two in an overlap.
     */
    private static List<Long> instantsOf(LocalDateTime local, ZoneRules rules) {
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.isEmpty()) {
            return List.of(rules.getTransition(local).getInstant().toEpochMilli());
        }
        return offsets.stream().map(o -> local.toInstant(o).toEpochMilli()).toList();
    }

    @Override
    public String toString() {
        return days.toString();
    }
}

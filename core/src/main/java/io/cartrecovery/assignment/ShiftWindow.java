package io.cartrecovery.assignment;

import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * One stretch of an agent's weekly shift, in the agent's local time.
 *
 * @param day the weekday the stretch starts on
 * @param startMinute minutes after local midnight, 0-1439
 * @param endMinute minutes after local midnight, 1-1440; at or before {@code startMinute} the
 *     stretch runs over midnight into the next day (e.g. 22:00-06:00)
 */
public record ShiftWindow(DayOfWeek day, int startMinute, int endMinute) implements Serializable {

    public boolean overnight() {
        return endMinute <= startMinute;
    }

    /** Start and end of this stretch in the week of {@code startDate} (which is on {@code day}). */
    long startOn(LocalDate startDate, ZoneId zone) {
        return at(startDate, startMinute, zone);
    }

    long endOn(LocalDate startDate, ZoneId zone) {
        return at(overnight() ? startDate.plusDays(1) : startDate, endMinute, zone);
    }

    /**
     * A local time as an instant; a time skipped by a clock change moves forward with it, as {@link
     * ZonedDateTime#of} does, so a shift starting in the gap starts when the gap ends.
     */
    private static long at(LocalDate date, int minute, ZoneId zone) {
        LocalDateTime local = date.atStartOfDay().plusMinutes(minute);
        return ZonedDateTime.of(local, zone).toInstant().toEpochMilli();
    }
}

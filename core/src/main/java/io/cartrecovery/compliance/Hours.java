package io.cartrecovery.compliance;

import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hours of one day in which a customer may be contacted, in their local time: from {@code
 * start} (included) to {@code end} (excluded), minutes of the day. A window never runs past
 * midnight: nobody in sales expects an overnight contact window.
 *
 * @param start first allowed minute of the day, 0-1439
 * @param end first minute no longer allowed, after {@code start}, at most 1440 (24:00)
 */
public record Hours(int start, int end) implements Serializable {
    private static final Pattern FORMAT =
            Pattern.compile("(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})");

    public Hours {
        if (start < 0 || end > 1440 || start >= end) {
            throw new IllegalArgumentException("hours must satisfy 00:00 <= start < end <= 24:00");
        }
    }

    /**
     * @param text {@code HH:MM-HH:MM} (end may be 24:00)
     * @throws IllegalArgumentException with a one-line reason
     */
    public static Hours parse(String text) {
        Matcher m = FORMAT.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not HH:MM-HH:MM");
        }
        int start = minute(m.group(1), m.group(2));
        int end = minute(m.group(3), m.group(4));
        if (start == Integer.MAX_VALUE || end == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not HH:MM-HH:MM");
        }
        if (start >= end || start >= 1440 || end > 1440) {
            throw new IllegalArgumentException(
                    "'" + text.strip() + "' must start before it ends, within 00:00-24:00");
        }
        return new Hours(start, end);
    }

    private static int minute(String hours, String minutes) {
        int h = Integer.parseInt(hours);
        int m = Integer.parseInt(minutes);
        if (m > 59 || h > 24 || (h == 24 && m > 0)) {
            return Integer.MAX_VALUE;
        }
        return h * 60 + m;
    }

    /** Whether a local time of day, in nanoseconds since midnight, is inside. */
    boolean contains(long nanoOfDay) {
        return nanoOfDay >= start * 60_000_000_000L && nanoOfDay < end * 60_000_000_000L;
    }

    @Override
    public String toString() {
        return String.format("%02d:%02d-%02d:%02d", start / 60, start % 60, end / 60, end % 60);
    }
}

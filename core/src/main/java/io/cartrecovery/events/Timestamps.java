package io.cartrecovery.events;

import com.ethlo.time.ITU;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * ISO-8601 timestamps with an offset ({@code 2026-11-26T10:15:30.250Z}, {@code +01:00}), as every
 * record of every input dates itself, to epoch milliseconds.
 *
 * <p>{@link OffsetDateTime#parse} is exact but slow: its general formatter was a quarter of the
 * source task's CPU, as much as the JSON parse of the record around it (docs/PERFORMANCE.md). The
 * common shape (RFC 3339: date, {@code T}, time with seconds, up to nine decimals, {@code Z} or
 * {@code ±hh:mm}) goes through ITU's fixed-format parser; anything else, and anything it refuses,
 * goes through {@code OffsetDateTime.parse} as before, so the same texts are accepted, with the
 * same instants, and the same are refused ({@code TimestampsTest} compares both on generated
 * texts).
 */
public final class Timestamps {
    private Timestamps() {}

    /**
     * @throws DateTimeParseException when the text is not an ISO-8601 date-time with an offset
     */
    public static long epochMillis(String text) {
        if (commonShape(text)) {
            try {
                return ITU.parseDateTime(text).toInstant().toEpochMilli();
            } catch (DateTimeException e) {
                // Refused by the strict parser: the general one decides, and words the error.
            }
        }
        return OffsetDateTime.parse(text).toInstant().toEpochMilli();
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss}, then at most nine decimals, then {@code Z} or {@code ±hh:mm}:
     * the shape on which both parsers agree. RFC 3339 also allows a lower-case {@code t}, a space,
     * and any number of decimals, which {@code OffsetDateTime.parse} treats otherwise.
     */
    static boolean commonShape(String text) {
        int length = text.length();
        if (length < 20 || length > 35 || text.charAt(10) != 'T' || text.charAt(19) == ',') {
            return false;
        }
        int end = length - 1;
        char last = text.charAt(end);
        int zone;
        if (last == 'Z') {
            zone = end;
        } else if (length >= 25 && text.charAt(end - 2) == ':') {
            zone = end - 5;
            char sign = text.charAt(zone);
            if (sign != '+' && sign != '-') {
                return false;
            }
        } else {
            return false;
        }
        int decimals = zone - 19;
        if (decimals == 0) {
            return true;
        }
        return text.charAt(19) == '.' && decimals >= 2 && decimals <= 10;
    }
}

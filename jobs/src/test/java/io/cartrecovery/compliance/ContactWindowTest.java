package io.cartrecovery.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contact window in the customer's local time, across zones and daylight-saving changes. */
class ContactWindowTest {
    private static final ContactWindow DEFAULT = ContactWindow.daily(Hours.parse("08:00-21:00"));

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static String next(ContactWindow window, String instant, String zone) {
        return Instant.ofEpochMilli(window.nextAllowed(at(instant), ZoneId.of(zone))).toString();
    }

    @Test
    void aMomentInsideIsItsOwnNextAllowedMoment() {
        assertThat(next(DEFAULT, "2026-11-26T10:00:00Z", "Europe/Madrid"))
                .isEqualTo("2026-11-26T10:00:00Z");
    }

    @Test
    void theEndIsExcludedAndTheNextMorningFollows() {
        // 21:00 in Madrid (UTC+1 in November) is outside; 08:00 next day is 07:00Z.
        assertThat(next(DEFAULT, "2026-11-26T20:00:00Z", "Europe/Madrid"))
                .isEqualTo("2026-11-27T07:00:00Z");
        assertThat(next(DEFAULT, "2026-11-26T19:59:59.999Z", "Europe/Madrid"))
                .isEqualTo("2026-11-26T19:59:59.999Z");
    }

    @Test
    void farOffsetsAreLocalTime() {
        // Kiritimati is UTC+14: 10:00Z is midnight of the next day there.
        assertThat(next(DEFAULT, "2026-11-26T10:00:00Z", "Pacific/Kiritimati"))
                .isEqualTo("2026-11-26T18:00:00Z");
        // Kathmandu is UTC+05:45: 02:00Z is 07:45 there, 08:00 is 02:15Z.
        assertThat(next(DEFAULT, "2026-11-26T02:00:00Z", "Asia/Kathmandu"))
                .isEqualTo("2026-11-26T02:15:00Z");
    }

    @Test
    void aClosedDayIsSkipped() {
        Map<DayOfWeek, Hours> days = new EnumMap<>(DEFAULT.days());
        days.remove(DayOfWeek.SUNDAY);
        ContactWindow noSundays = new ContactWindow(days);
        // Saturday 2026-11-28 at 22:00 Madrid: Sunday is closed, Monday 08:00 is 07:00Z.
        assertThat(next(noSundays, "2026-11-28T21:00:00Z", "Europe/Madrid"))
                .isEqualTo("2026-11-30T07:00:00Z");
    }

    @Test
    void aStartInTheSpringForwardGapOpensWhenTheClockJumps() {
        // Madrid, 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00Z). A 02:30 start never shows
        // on the clock; the window is open from the jump, local 03:00.
        ContactWindow early = ContactWindow.daily(Hours.parse("02:30-05:00"));
        assertThat(next(early, "2026-03-29T00:00:00Z", "Europe/Madrid"))
                .isEqualTo("2026-03-29T01:00:00Z");
    }

    @Test
    void theFallBackOverlapReopensAWindowThatEndedInIt() {
        // New York, 2026-11-01: 02:00 EDT falls back to 01:00 EST (06:00Z). A window until 01:30
        // ends at the first 01:30 (05:30Z) and is open again once the clock shows 01:00 again.
        ContactWindow night = ContactWindow.daily(Hours.parse("00:00-01:30"));
        ZoneId ny = ZoneId.of("America/New_York");
        assertThat(night.openingEnd(at("2026-11-01T04:45:00Z"), ny))
                .isEqualTo(at("2026-11-01T05:30:00Z"));
        assertThat(next(night, "2026-11-01T05:30:00Z", "America/New_York"))
                .isEqualTo("2026-11-01T06:00:00Z");
        assertThat(night.openingEnd(at("2026-11-01T06:00:00Z"), ny))
                .isEqualTo(at("2026-11-01T06:30:00Z"));
    }

    @Test
    void aStartInTheOverlapIsItsFirstOccurrenceOrTheSecondWhenTheFirstIsPast() {
        ContactWindow late = ContactWindow.daily(Hours.parse("01:30-03:00"));
        // First 01:30 (EDT) is 05:30Z; a moment in the repeated hour before the second 01:30
        // (06:15Z = 01:15 EST) waits for the second 01:30, 06:30Z.
        assertThat(next(late, "2026-11-01T04:00:00Z", "America/New_York"))
                .isEqualTo("2026-11-01T05:30:00Z");
        assertThat(next(late, "2026-11-01T06:15:00Z", "America/New_York"))
                .isEqualTo("2026-11-01T06:30:00Z");
    }

    @Test
    void hoursAreParsedStrictly() {
        assertThat(Hours.parse("8:00-24:00")).isEqualTo(new Hours(480, 1440));
        assertThatThrownBy(() -> Hours.parse("21:00-08:00"))
                .hasMessage("'21:00-08:00' must start before it ends, within 00:00-24:00");
        assertThatThrownBy(() -> Hours.parse("8-21")).hasMessage("'8-21' is not HH:MM-HH:MM");
        assertThatThrownBy(() -> Hours.parse("08:61-21:00"))
                .hasMessage("'08:61-21:00' is not HH:MM-HH:MM");
    }
}

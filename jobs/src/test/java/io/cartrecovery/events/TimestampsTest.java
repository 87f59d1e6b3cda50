package io.cartrecovery.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The fast path accepts exactly what {@link OffsetDateTime#parse} accepts, with the same instant.
 */
class TimestampsTest {
    private static final long AT = Instant.parse("2026-11-26T10:15:30Z").toEpochMilli();

    @Test
    void theCommonShapesGiveTheirInstant() {
        assertThat(Timestamps.epochMillis("2026-11-26T10:15:30Z")).isEqualTo(AT);
        assertThat(Timestamps.epochMillis("2026-11-26T10:15:30.250Z")).isEqualTo(AT + 250);
        assertThat(Timestamps.epochMillis("2026-11-26T11:15:30.25+01:00")).isEqualTo(AT + 250);
        assertThat(Timestamps.epochMillis("2026-11-26T05:15:30.123456789-05:00"))
                .isEqualTo(AT + 123);
    }

    @Test
    void onlyTheCommonShapeTakesTheFastPath() {
        assertThat(Timestamps.commonShape("2026-11-26T10:15:30Z")).isTrue();
        assertThat(Timestamps.commonShape("2026-11-26T10:15:30.123456789+05:30")).isTrue();
        assertThat(Timestamps.commonShape("2026-11-26T10:15Z")).isFalse();
        assertThat(Timestamps.commonShape("2026-11-26t10:15:30Z")).isFalse();
        assertThat(Timestamps.commonShape("2026-11-26T10:15:30.1234567890Z")).isFalse();
        assertThat(Timestamps.commonShape("2026-11-26T10:15:30+01")).isFalse();
    }

    @Test
    void otherIsoShapesStillParseAsBefore() {
        // No seconds, an offset with seconds: ISO-8601 allows them, RFC 3339 does not.
        assertThat(Timestamps.epochMillis("2026-11-26T10:15Z")).isEqualTo(AT - 30_000);
        assertThat(Timestamps.epochMillis("2026-11-26T10:15:30+00:00:00")).isEqualTo(AT);
    }

    @Test
    void whatTheGeneralParserRefusesIsRefused() {
        for (String text :
                new String[] {
                    "2026-11-26 10:15:30Z",
                    "2026-02-30T10:15:30Z",
                    "2026-11-26T24:00:00Z",
                    "2026-11-26T23:59:60Z",
                    "2026-11-26T10:15:30.1234567890Z",
                    "2026-11-26T10:15:30",
                    "2026-11-26T10:15:30+25:00",
                    "yesterday"
                }) {
            assertThatThrownBy(() -> Timestamps.epochMillis(text))
                    .as(text)
                    .isInstanceOf(DateTimeParseException.class);
        }
    }

    @Property(tries = 5_000)
    void agreesWithTheGeneralParser(@ForAll("timestamps") String text) {
        Long expected;
        try {
            expected = OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            expected = null;
        }
        Long actual;
        try {
            actual = Timestamps.epochMillis(text);
        } catch (DateTimeParseException e) {
            actual = null;
        }
        assertThat(actual).as(text).isEqualTo(expected);
    }

    /** Mostly well-formed texts, with every part sometimes out of range or of another shape. */
    @Provide
    Arbitrary<String> timestamps() {
        Arbitrary<String> date =
                Combinators.combine(
                                Arbitraries.oneOf(
                                        Arbitraries.integers().between(1970, 2100),
                                        Arbitraries.integers().between(0, 9999)),
                                Arbitraries.integers().between(0, 13),
                                Arbitraries.integers().between(0, 32))
                        .as((y, m, d) -> String.format("%04d-%02d-%02d", y, m, d));
        Arbitrary<String> separator = Arbitraries.of("T", "T", "T", "T", "t", " ", "");
        Arbitrary<String> time =
                Combinators.combine(
                                Arbitraries.integers().between(0, 24),
                                Arbitraries.integers().between(0, 60),
                                Arbitraries.integers().between(0, 60),
                                Arbitraries.of(true, true, true, false))
                        .as(
                                (h, m, s, withSeconds) ->
                                        withSeconds
                                                ? String.format("%02d:%02d:%02d", h, m, s)
                                                : String.format("%02d:%02d", h, m));
        Arbitrary<String> fraction =
                Arbitraries.oneOf(
                        Arbitraries.just(""),
                        Arbitraries.strings()
                                .numeric()
                                .ofMinLength(0)
                                .ofMaxLength(12)
                                .map(digits -> "." + digits),
                        Arbitraries.strings()
                                .numeric()
                                .ofMinLength(1)
                                .ofMaxLength(3)
                                .map(digits -> "," + digits));
        Arbitrary<String> offset =
                Arbitraries.oneOf(
                        Arbitraries.of("Z", "Z", "z", "", "+00:00", "-00:00", "UTC"),
                        Combinators.combine(
                                        Arbitraries.of("+", "-"),
                                        Arbitraries.integers().between(0, 19),
                                        Arbitraries.integers().between(0, 61),
                                        Arbitraries.of(":", "", ":", ":"))
                                .as(
                                        (sign, h, m, colon) ->
                                                String.format("%s%02d%s%02d", sign, h, colon, m)),
                        Arbitraries.integers().between(0, 18).map(h -> String.format("+%02d", h)),
                        Arbitraries.of("+01:00:30", "-05:30:00"));
        return Combinators.combine(date, separator, time, fraction, offset)
                .as((d, sep, t, f, o) -> d + sep + t + f + o);
    }
}

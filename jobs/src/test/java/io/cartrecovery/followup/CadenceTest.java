package io.cartrecovery.followup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrecovery.config.Configs;
import io.cartrecovery.config.FollowUpOptions;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.settings.ConfigException;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CadenceTest {
    private static final long HOUR = 3_600_000L;

    @Test
    void defaultsAreFiveAttemptsOverSeventyHours() {
        Cadence cadence = FollowUpOptions.cadence(Configs.load(null, Map.of()));
        assertThat(cadence.steps())
                .containsExactly(
                        new Step(0, Channel.CALL),
                        new Step(4 * HOUR, Channel.WHATSAPP),
                        new Step(24 * HOUR, Channel.CALL),
                        new Step(48 * HOUR, Channel.EMAIL),
                        new Step(70 * HOUR, Channel.CALL));
        assertThat(cadence.holdoutShare()).isEqualTo(0.10);
        assertThat(cadence.attributionWindowMillis()).isEqualTo(7 * 24 * HOUR);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "followup.steps|4h:call|followup.steps: the first step must be at 0m",
                "followup.steps|0m:call,2h:sms,1h:email|followup.steps: offsets must increase,"
                        + " '1h:email' does not",
                "followup.steps|0m:pigeon|followup.steps: channel 'pigeon' is not one of call,"
                        + " whatsapp, sms, email",
                "followup.steps|0m:call,soon:sms|followup.steps: 'soon:sms' has no valid offset",
                "followup.holdout-share|0.9|followup.holdout-share must be from 0 to 0.5, got 0.9",
                "followup.attribution-window|0s|followup.attribution-window must be positive, got"
                        + " PT0S",
                "followup.horizon|60h|followup.horizon must be at least the last step's offset"
                        + " (70 h), got 60 h",
            })
    void badSettingsAreOneLineNamingTheSetting(String key, String value, String message) {
        assertThatThrownBy(() -> Configs.load(null, Map.of(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    private static final long MINUTE = 60_000L;
    private static final long A = 1_000 * HOUR;
    private static final long NONE = Long.MIN_VALUE;
    private static final Cadence DEFAULTS = FollowUpOptions.cadence(Configs.load(null, Map.of()));

    @Test
    void withoutWaitsEveryStepComesAtItsOffsetAndTheFirstNeverAgain() {
        long[] offsets = {4, 24, 48, 70};
        Channel[] channels = {Channel.WHATSAPP, Channel.CALL, Channel.EMAIL, Channel.CALL};
        long after = A + 10 * MINUTE; // attempt 1, issued at detection, worked at once
        for (int i = 0; i < offsets.length; i++) {
            Cadence.Next next = DEFAULTS.following(A, 0, A + 10 * MINUTE, NONE, NONE, after);
            assertThat(next).isEqualTo(new Cadence.Next(A + offsets[i] * HOUR, channels[i]));
            after = next.at();
        }
        assertThat(DEFAULTS.following(A, 0, A + 10 * MINUTE, NONE, NONE, after)).isNull();
        assertThat(DEFAULTS.shortestSpacingMillis()).isEqualTo(4 * HOUR);
    }

    @Test
    void laterStepsCountFromTheFirstContact() {
        // Abandoned at 23:30, attempt 1 issued 23:40 and worked from 08:00: waited 8 h 20 min.
        long wait = 8 * HOUR + 20 * MINUTE;
        long firstContact = A + 10 * MINUTE + wait;
        assertThat(
                        DEFAULTS.following(
                                A,
                                wait,
                                firstContact,
                                firstContact + 20 * MINUTE,
                                NONE,
                                A + 10 * MINUTE))
                .isEqualTo(new Cadence.Next(A + 4 * HOUR + wait, Channel.WHATSAPP));
    }

    @Test
    void anOpenAttemptIsNeverWithdrawnBeforeItsDueBy() {
        // Attempt 2 waits a day for the cap: the 24 h step waits for its time to act to be over,
        // and keeps the shortest spacing from it.
        long secondContact = A + 24 * HOUR + 10 * MINUTE;
        Cadence.Next next =
                DEFAULTS.following(
                        A,
                        0,
                        A + 10 * MINUTE,
                        secondContact + 30 * MINUTE,
                        secondContact,
                        A + 4 * HOUR);
        assertThat(next).isEqualTo(new Cadence.Next(secondContact + 4 * HOUR, Channel.CALL));
        // A cadence whose steps are closer than the time to act: held back to the due_by.
        Cadence tight =
                FollowUpOptions.cadence(
                        Configs.load(null, Map.of("followup.steps", "0m:call,15m:sms")));
        assertThat(tight.following(A, 0, A + 10 * MINUTE, A + 30 * MINUTE, NONE, A + 10 * MINUTE))
                .isEqualTo(new Cadence.Next(A + 30 * MINUTE, Channel.SMS));
    }

    @Test
    void aFollowUpKeepsTheShortestSpacingFromTheLastOne() {
        long lastFollowUp = A + 47 * HOUR;
        assertThat(DEFAULTS.following(A, 0, A + 10 * MINUTE, NONE, lastFollowUp, A + 24 * HOUR))
                .isEqualTo(new Cadence.Next(A + 51 * HOUR, Channel.EMAIL));
        // A follow-up long before the step does not move it.
        assertThat(DEFAULTS.following(A, 0, A + 10 * MINUTE, NONE, A + 24 * HOUR, A + 24 * HOUR))
                .isEqualTo(new Cadence.Next(A + 48 * HOUR, Channel.EMAIL));
    }

    @Test
    void noStepIsIssuedPastTheHorizonAfterTheFirstContact() {
        long firstContact = A + 10 * MINUTE;
        // Exactly at the horizon: made; a millisecond later: the cadence ends.
        long lastFollowUp = firstContact + 68 * HOUR;
        assertThat(DEFAULTS.following(A, 0, firstContact, NONE, lastFollowUp, A + 48 * HOUR))
                .isEqualTo(new Cadence.Next(firstContact + 72 * HOUR, Channel.CALL));
        assertThat(DEFAULTS.following(A, 0, firstContact, NONE, lastFollowUp + 1, A + 48 * HOUR))
                .isNull();
        // The horizon counts from the first contact, so attempt 1's wait never uses it up.
        long wait = 30 * HOUR;
        assertThat(
                        DEFAULTS.following(
                                A, wait, firstContact + wait, NONE, NONE, A + 48 * HOUR + wait))
                .isEqualTo(new Cadence.Next(A + 70 * HOUR + wait, Channel.CALL));
    }

    @Test
    void waitedIsTheTimeFromIssueToNotBefore() {
        assertThat(Cadence.waited(A, null)).isZero();
        assertThat(Cadence.waited(A, A + HOUR)).isEqualTo(HOUR);
    }

    @Test
    void holdoutShareIsHeldCloselyAndRaisingItOnlyAddsCarts() {
        long at10 =
                IntStream.range(0, 20_000)
                        .filter(i -> Holdout.heldOut("shop-1", "cart-" + i, 0.10))
                        .count();
        assertThat(at10).isBetween(1_800L, 2_200L);
        IntStream.range(0, 20_000)
                .filter(i -> Holdout.heldOut("shop-1", "cart-" + i, 0.10))
                .forEach(i -> assertThat(Holdout.heldOut("shop-1", "cart-" + i, 0.20)).isTrue());
    }
}

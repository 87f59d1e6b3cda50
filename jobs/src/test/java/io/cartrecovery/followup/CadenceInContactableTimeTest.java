package io.cartrecovery.followup;

import static io.cartrecovery.followup.CadenceRun.DAY;
import static io.cartrecovery.followup.CadenceRun.HOUR;
import static io.cartrecovery.followup.CadenceRun.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.followup.CadenceRun.Made;
import io.cartrecovery.followup.CadenceRun.Rules;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.priority.Tier;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The two sequences issue 13 saw fail with the default settings, through the real follow-up
 * operator: a night abandonment whose first call was withdrawn before it could be made, and an
 * e-mail-only customer whose follow-ups each expired before their own {@code not_before}.
 */
class CadenceInContactableTimeTest {
    private static final ZoneId MADRID = ZoneId.of("Europe/Madrid");
    private static final Rules DEFAULTS = new Rules(Map.of());

    private static long local(String dateTime) {
        return LocalDateTime.parse(dateTime).atZone(MADRID).toInstant().toEpochMilli();
    }

    private static String localOf(long at) {
        return ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(at), MADRID)
                .toLocalDateTime()
                .toString();
    }

    private static void neverWithdrawnBeforeItCouldBeMade(List<Made> made) {
        for (Made m : made) {
            assertThat(m.endedAt())
                    .as(
                            "attempt %d (%s) ended at %s, due by %s",
                            m.attempt(), m.channel(), localOf(m.endedAt()), localOf(m.dueBy()))
                    .isGreaterThanOrEqualTo(m.dueBy());
            assertThat(m.dueBy()).isGreaterThanOrEqualTo(m.contactAt());
        }
    }

    @Test
    void nightAbandonmentGetsItsFirstCallAndTheCadenceCountsFromIt() throws Exception {
        long abandoned = local("2026-11-26T23:30");
        List<Made> made =
                CadenceRun.run(
                        DEFAULTS,
                        CadenceRun.cart(
                                CadenceRun.profile(
                                        "Europe/Madrid",
                                        Set.of(Channel.CALL, Channel.WHATSAPP, Channel.EMAIL)),
                                Tier.HIGH,
                                abandoned));

        neverWithdrawnBeforeItCouldBeMade(made);
        assertThat(made)
                .extracting(Made::channel)
                .containsExactly(
                        Channel.CALL, Channel.WHATSAPP, Channel.CALL, Channel.EMAIL, Channel.CALL);
        // The call waits for 08:00; the 4 h step counts from then, not from 23:40.
        assertThat(made.get(0).notBefore()).isEqualTo(local("2026-11-27T08:00"));
        assertThat(made.get(0).dueBy()).isEqualTo(local("2026-11-27T08:20"));
        assertThat(made.get(0).endedAt()).isEqualTo(local("2026-11-27T11:50"));
        assertThat(made.get(1).issuedAt()).isEqualTo(local("2026-11-27T11:50"));
        assertThat(made.get(1).notBefore()).isNull();
        assertThat(made.stream().map(m -> localOf(m.contactAt())).toList())
                .containsExactly(
                        "2026-11-27T08:00",
                        "2026-11-27T11:50",
                        "2026-11-28T08:00",
                        "2026-11-29T08:00",
                        "2026-11-30T08:00");
        // The last attempt expires a day after it could first be made.
        assertThat(made.get(4).endedAt()).isEqualTo(local("2026-12-01T08:00"));
    }

    @Test
    void emailOnlyCustomerUnderTheDailyCapGetsFollowUpsThatCanBeMade() throws Exception {
        long abandoned = local("2026-11-26T12:00");
        List<Made> made =
                CadenceRun.run(
                        DEFAULTS,
                        CadenceRun.cart(
                                CadenceRun.profile("Europe/Madrid", Set.of(Channel.EMAIL)),
                                Tier.HIGH,
                                abandoned));

        neverWithdrawnBeforeItCouldBeMade(made);
        // One e-mail a day (the cap): each follow-up waits for it, and the next step waits for
        // that one's time to act; the last step would be issued more than 72 h after the first
        // e-mail and is not made.
        assertThat(made.stream().map(m -> localOf(m.contactAt())).toList())
                .containsExactly(
                        "2026-11-26T12:10",
                        "2026-11-27T12:10",
                        "2026-11-28T12:10",
                        "2026-11-29T12:10");
        assertThat(made).extracting(Made::channel).containsOnly(Channel.EMAIL);
        assertThat(made.get(3).endedAt() - made.get(3).contactAt()).isEqualTo(DAY);
    }

    @Test
    void callOnlyCustomerGetsTheThreeCalls() throws Exception {
        long abandoned = local("2026-11-26T23:30");
        List<Made> made =
                CadenceRun.run(
                        DEFAULTS,
                        CadenceRun.cart(
                                CadenceRun.profile("Europe/Madrid", Set.of(Channel.CALL)),
                                Tier.HIGH,
                                abandoned));

        neverWithdrawnBeforeItCouldBeMade(made);
        // The message steps have no channel and are skipped; the calls keep their spacing.
        assertThat(made.stream().map(m -> localOf(m.contactAt())).toList())
                .containsExactly("2026-11-27T08:00", "2026-11-28T08:00", "2026-11-30T08:00");
        assertThat(made.get(2).contactAt() - made.get(0).contactAt()).isEqualTo(72 * HOUR);
        assertThat(made.get(1).issuedAt()).isEqualTo(local("2026-11-28T07:50"));
        assertThat(made.get(0).dueBy() - made.get(0).contactAt()).isEqualTo(20 * MINUTE);
    }
}

package io.cartrecovery.kpi;

import static io.cartrecovery.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The KPI minutes' rollups: exact counts and decimal sums per minute and dimensions. */
class KpisTest {
    private static final long MINUTE_0 = T0.toEpochMilli();
    private static final long MINUTE_1 = MINUTE_0 + 60_000;

    private static final String SHOP_1 = "shop-1";
    private static final String SHOP_2 = "shop-2";
    private static final String CALL = "call";
    private static final String AGENT_1 = "agent-1";
    private static final String AGENT_2 = "agent-2";

    /** Abandoned carts, tasks and created carts of two stores in minutes 0 and 1. */
    private static List<KpiMinute> cartRows() {
        return List.of(
                Kpis.abandoned(
                        SHOP_1, "checkout", "unknown", "EUR", money("19.99"), MINUTE_0 + 5_000),
                // The last millisecond of the first minute and the first of the second.
                Kpis.abandoned(SHOP_1, "checkout", "unknown", "EUR", money("5.015"), MINUTE_1 - 1),
                Kpis.abandoned(SHOP_1, "checkout", "unknown", "EUR", money("3.00"), MINUTE_1),
                Kpis.abandoned(
                        SHOP_1, "checkout", "unknown", "USD", money("7.10"), MINUTE_0 + 30_000),
                Kpis.abandoned(
                        SHOP_2,
                        "payment",
                        "payment_problem",
                        "EUR",
                        money("100.00"),
                        MINUTE_0 + 10_000),
                // A store that sends no prices.
                Kpis.abandoned(
                        SHOP_2, "payment", "payment_problem", null, money("0"), MINUTE_1 + 20_000),
                Kpis.created(SHOP_1, "checkout", "unknown", "EUR", MINUTE_0 + 40_000),
                Kpis.cancelled(SHOP_1, MINUTE_1 + 15_000),
                Kpis.created(SHOP_2, "payment", "payment_problem", "EUR", MINUTE_1 + 5_000),
                // Carts opened: shop-1 twice in minute 0 (one at its last millisecond), once later.
                Kpis.opened(SHOP_1, MINUTE_0),
                Kpis.opened(SHOP_1, MINUTE_1 - 1),
                Kpis.opened(SHOP_1, MINUTE_1 + 50_000),
                Kpis.opened(SHOP_2, MINUTE_0 + 1_000));
    }

    /**
     * The contact steps of minute 0 and 1: shop-1's calls by two agents and a message, first
     * contacts with their seconds (one at exactly 30 minutes), recoveries in EUR and USD credited
     * to agent-1's calls, one of shop-2 without a channel, holdout membership and a natural
     * recovery.
     */
    private static List<ContactEvent> contactSteps() {
        return List.of(
                step(CALL, AGENT_1, "attempted", null, MINUTE_0 + 1_000),
                step(CALL, AGENT_1, "first_contact", 600L, MINUTE_0 + 1_000),
                step(CALL, AGENT_1, "reached", null, MINUTE_0 + 2_000),
                step(CALL, AGENT_1, "responded", null, MINUTE_0 + 2_000),
                step(CALL, AGENT_1, "attempted", null, MINUTE_0 + 30_000),
                step(CALL, AGENT_1, "first_contact", 2400L, MINUTE_0 + 30_000),
                step(CALL, AGENT_2, "attempted", null, MINUTE_0 + 10_000),
                step(CALL, AGENT_2, "first_contact", 1800L, MINUTE_0 + 10_000),
                step("sms", null, "attempted", null, MINUTE_0 + 3_000),
                step("sms", null, "first_contact", 300L, MINUTE_0 + 3_000),
                step("sms", null, "reached", null, MINUTE_1 + 3_000),
                money(SHOP_1, CALL, AGENT_1, "recovered", "EUR", "19.99", MINUTE_1),
                money(SHOP_1, CALL, AGENT_1, "recovered", "EUR", "0.0150", MINUTE_1 + 59_000),
                money(SHOP_1, CALL, AGENT_1, "recovered", "USD", "7.10", MINUTE_1 + 9_000),
                money(SHOP_2, null, null, "recovered", null, null, MINUTE_0 + 9_000),
                step(null, null, "treated", null, MINUTE_0 + 4_000),
                step(null, null, "treated", null, MINUTE_0 + 5_000),
                step(null, null, "held_out", null, MINUTE_0 + 6_000),
                money(SHOP_1, null, null, "holdout_recovered", "EUR", "30.00", MINUTE_1));
    }

    private static List<AlertKpiMinute> alertRows() {
        return List.of(
                Kpis.alert(SHOP_1, AGENT_1, "sla_breached", MINUTE_0 + 1_000),
                Kpis.alert(SHOP_1, AGENT_1, "sla_breached", MINUTE_1 - 1),
                Kpis.alert(SHOP_1, AGENT_1, "sla_at_risk", MINUTE_0 + 2_000),
                Kpis.alert(null, null, "queue_growing", MINUTE_1));
    }

    private static final List<KpiMinute> PER_MINUTE = Kpis.rollUp(cartRows());
    private static final List<ContactKpiMinute> CONTACTS =
            Kpis.rollUp(contactSteps().stream().map(Kpis::contact).toList()).stream()
                    .map(ContactTotals::result)
                    .toList();

    @Test
    void alertsCountPerMinuteStoreAgentAndType() {
        assertThat(Kpis.rollUp(alertRows()))
                .containsExactlyInAnyOrder(
                        new AlertKpiMinute(MINUTE_0, SHOP_1, AGENT_1, "sla_breached", 2),
                        new AlertKpiMinute(MINUTE_0, SHOP_1, AGENT_1, "sla_at_risk", 1),
                        // No store, no agent: '' rather than a lost row.
                        new AlertKpiMinute(MINUTE_1, "", "", "queue_growing", 1));
    }

    @Test
    void attemptsCountPerMinuteChannelAndAgent() {
        ContactKpiMinute agent1 = contactKpi(MINUTE_0, SHOP_1, CALL, AGENT_1, "");
        assertThat(agent1.attempts()).isEqualTo(2);
        assertThat(agent1.reached()).isEqualTo(1);
        assertThat(agent1.responded()).isEqualTo(1);
        ContactKpiMinute agent2 = contactKpi(MINUTE_0, SHOP_1, CALL, AGENT_2, "");
        assertThat(agent2.attempts()).isEqualTo(1);
        assertThat(agent2.reached()).isZero();
        // A message has no agent: it counts under ''.
        assertThat(contactKpi(MINUTE_0, SHOP_1, "sms", "", "").attempts()).isEqualTo(1);
        ContactKpiMinute later = contactKpi(MINUTE_1, SHOP_1, "sms", "", "");
        assertThat(later.attempts()).isZero();
        assertThat(later.reached()).isEqualTo(1);
    }

    @Test
    void firstContactsCountWithTheirSecondsAndTheMinutesPercentiles() {
        ContactKpiMinute agent1 = contactKpi(MINUTE_0, SHOP_1, CALL, AGENT_1, "");
        assertThat(agent1.firstContacts()).isEqualTo(2);
        assertThat(agent1.firstContactSeconds()).isEqualTo(3000);
        assertThat(agent1.firstContactsWithin30m()).isEqualTo(1);
        // Interpolated between 600 and 2400.
        assertThat(agent1.firstContactP50Seconds()).isEqualTo(1500.0);
        assertThat(agent1.firstContactP90Seconds()).isEqualTo(2220.0);
        // Exactly 30 minutes is within 30 minutes.
        ContactKpiMinute agent2 = contactKpi(MINUTE_0, SHOP_1, CALL, AGENT_2, "");
        assertThat(agent2.firstContactsWithin30m()).isEqualTo(1);
        assertThat(agent2.firstContactP50Seconds()).isEqualTo(1800.0);
        ContactKpiMinute none = contactKpi(MINUTE_1, SHOP_1, "sms", "", "");
        assertThat(none.firstContacts()).isZero();
        assertThat(none.firstContactSeconds()).isZero();
        assertThat(none.firstContactP50Seconds()).isNull();
        assertThat(none.firstContactP90Seconds()).isNull();
    }

    @Test
    void recoveriesCountPerCurrencyWithExactValues() {
        ContactKpiMinute eur = contactKpi(MINUTE_1, SHOP_1, CALL, AGENT_1, "EUR");
        assertThat(eur.recoveries()).isEqualTo(2);
        assertThat(eur.recoveredValue()).isEqualTo(new BigDecimal("20.0050"));
        ContactKpiMinute usd = contactKpi(MINUTE_1, SHOP_1, CALL, AGENT_1, "USD");
        assertThat(usd.recoveries()).isEqualTo(1);
        assertThat(usd.recoveredValue()).isEqualTo(new BigDecimal("7.1000"));
        // No channel, no currency: '' rather than a lost row.
        ContactKpiMinute bare = contactKpi(MINUTE_0, SHOP_2, "", "", "");
        assertThat(bare.recoveries()).isEqualTo(1);
        assertThat(bare.recoveredValue()).isEqualTo(new BigDecimal("0.0000"));
    }

    @Test
    void holdoutMembershipAndNaturalRecoveriesCountApart() {
        ContactKpiMinute members = contactKpi(MINUTE_0, SHOP_1, "", "", "");
        assertThat(members.cartsTreated()).isEqualTo(2);
        assertThat(members.cartsHeldOut()).isEqualTo(1);
        assertThat(members.recoveries()).isZero();
        ContactKpiMinute natural = contactKpi(MINUTE_1, SHOP_1, "", "", "EUR");
        assertThat(natural.holdoutRecoveries()).isEqualTo(1);
        assertThat(natural.holdoutRecoveredValue()).isEqualTo(new BigDecimal("30.0000"));
        assertThat(natural.recoveries()).isZero();
        assertThat(natural.recoveredValue()).isEqualTo(new BigDecimal("0.0000"));
    }

    @Test
    void everyContactMinuteAndDimensionIsOneRow() {
        assertThat(CONTACTS).hasSize(9);
    }

    /** The one row of the minute and dimensions. */
    private static ContactKpiMinute contactKpi(
            long minute, String store, String channel, String agent, String currency) {
        List<ContactKpiMinute> rows =
                CONTACTS.stream()
                        .filter(
                                r ->
                                        r.minuteStart() == minute
                                                && r.storeId().equals(store)
                                                && r.channel().equals(channel)
                                                && r.agentId().equals(agent)
                                                && r.currency().equals(currency))
                        .toList();
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    @Test
    void cartsCountInTheMinuteOfTheirLastActivityWithExactValues() {
        assertThat(PER_MINUTE)
                .contains(
                        kpi(MINUTE_0, SHOP_1, "checkout", "unknown", "EUR", 2, "25.0050", 1, 0),
                        kpi(MINUTE_1, SHOP_1, "checkout", "unknown", "EUR", 1, "3.0000", 0, 0));
    }

    @Test
    void valuesOfDifferentCurrenciesAreNeverAddedUp() {
        assertThat(PER_MINUTE)
                .contains(kpi(MINUTE_0, SHOP_1, "checkout", "unknown", "USD", 1, "7.1000", 0, 0));
    }

    @Test
    void storesAreCountedApart() {
        assertThat(PER_MINUTE)
                .contains(
                        kpi(
                                MINUTE_0,
                                SHOP_2,
                                "payment",
                                "payment_problem",
                                "EUR",
                                1,
                                "100.0000",
                                0,
                                0),
                        kpi(MINUTE_1, SHOP_2, "payment", "payment_problem", "", 1, "0.0000", 0, 0));
    }

    @Test
    void tasksCountInTheMinuteTheyOccurred() {
        assertThat(PER_MINUTE)
                .contains(
                        kpi(
                                MINUTE_1,
                                SHOP_2,
                                "payment",
                                "payment_problem",
                                "EUR",
                                0,
                                "0.0000",
                                1,
                                0),
                        // A cancel knows only its store (so does the cart created then).
                        kpi(MINUTE_1, SHOP_1, "", "", "", 0, "0.0000", 0, 1, 1));
    }

    @Test
    void createdCartsCountPerStoreInTheMinuteTheyOpened() {
        assertThat(PER_MINUTE)
                .contains(
                        kpi(MINUTE_0, SHOP_1, "", "", "", 0, "0.0000", 0, 0, 2),
                        kpi(MINUTE_0, SHOP_2, "", "", "", 0, "0.0000", 0, 0, 1));
        // Per store, created carts are all there is to the abandonment rate's denominator.
        assertThat(PER_MINUTE.stream().mapToLong(KpiMinute::cartsCreated).sum()).isEqualTo(4);
    }

    @Test
    void everyMinuteAndDimensionIsOneRow() {
        assertThat(PER_MINUTE).hasSize(9);
    }

    @Test
    void theTotalsDoNotDependOnTheOrderOfTheRows() {
        Random random = new Random(12);
        for (int i = 0; i < 20; i++) {
            List<KpiMinute> carts = new ArrayList<>(cartRows());
            Collections.shuffle(carts, random);
            assertThat(Kpis.rollUp(carts)).isEqualTo(PER_MINUTE);
            List<ContactTotals> steps =
                    new ArrayList<>(contactSteps().stream().map(Kpis::contact).toList());
            Collections.shuffle(steps, random);
            assertThat(Kpis.rollUp(steps).stream().map(ContactTotals::result).toList())
                    .isEqualTo(CONTACTS);
        }
    }

    /** A step of shop-1 without money. */
    private static ContactEvent step(
            String channel, String agent, String type, Long seconds, long at) {
        return new ContactEvent(SHOP_1, channel, agent, type, null, null, seconds, at);
    }

    private static ContactEvent money(
            String store,
            String channel,
            String agent,
            String type,
            String currency,
            String value,
            long at) {
        return new ContactEvent(
                store,
                channel,
                agent,
                type,
                currency,
                value == null ? null : new BigDecimal(value),
                null,
                at);
    }

    private static BigDecimal money(String value) {
        return new BigDecimal(value);
    }

    private static KpiMinute kpi(
            long minute,
            String store,
            String stage,
            String reason,
            String currency,
            long carts,
            String value,
            long created,
            long cancelled) {
        return kpi(minute, store, stage, reason, currency, carts, value, created, cancelled, 0);
    }

    /** BigDecimal equality includes the scale: sums must come out at the columns' scale of 4. */
    private static KpiMinute kpi(
            long minute,
            String store,
            String stage,
            String reason,
            String currency,
            long carts,
            String value,
            long created,
            long cancelled,
            long cartsCreated) {
        return new KpiMinute(
                minute,
                store,
                stage,
                reason,
                currency,
                carts,
                new BigDecimal(value),
                created,
                cancelled,
                cartsCreated);
    }
}

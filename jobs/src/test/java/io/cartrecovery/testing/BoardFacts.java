package io.cartrecovery.testing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Known facts for the boards' queries, as plain {@code INSERT}s of literals (every ClickHouse
 * release parses them alike): every fact and window table, around the clock {@link #A}. Used by
 * {@code CurrentClickHouseTest} (18.16 against 26.7) and the report's test.
 */
public final class BoardFacts {
    /**
     * The facts' clock: a whole hour, three hours ago, so a board's range ending at {@link #TO}
     * ends in the past and the views that count back from now() (roi_30_60_90) see the same carts
     * as the boards.
     */
    public static final Instant A =
            Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));

    public static final Instant TO = A.plus(Duration.ofHours(2));

    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private BoardFacts() {}

    /**
     * Facts of every kind in two stores and a third that the boards' two-store selection leaves
     * out: carts abandoned within the board's range and 40 and 80 days before its end, rows written
     * again with a higher version, a task cancelled by a purchase, attempts with and without an
     * outcome, recoveries contacted, uncontacted and held out, per-minute windows and alerts.
     */
    public static List<String> facts() {
        Instant d40 = TO.minus(Duration.ofDays(40));
        Instant d80 = TO.minus(Duration.ofDays(80));
        String t1 = "00000000-0000-4000-8000-000000000001";
        String t2 = "00000000-0000-4000-8000-000000000002";
        String t3 = "00000000-0000-4000-8000-000000000003";
        String t4 = "00000000-0000-4000-8000-000000000004";
        String t5 = "00000000-0000-4000-8000-000000000005";
        String t6 = "00000000-0000-4000-8000-000000000006";
        List<String> statements = new ArrayList<>(lastDays());
        statements.addAll(
                List.of(
                        insert(
                                "abandoned_carts (store_id, cart_id, customer_id, stage, reason,"
                                        + " cart_value, currency, item_count, line_count, shipping_cost,"
                                        + " opened_at, abandoned_at, detected_at, gap_seconds, version)",
                                row(
                                                "shop-1",
                                                "c1",
                                                "cust-1",
                                                "checkout",
                                                "payment_problem",
                                                money("39.80"))
                                        .and(
                                                "EUR",
                                                2,
                                                1,
                                                money("4.90"),
                                                at(-20),
                                                at(0),
                                                at(30),
                                                1800,
                                                1),
                                row(
                                                "shop-1",
                                                "visitor/v-77",
                                                null,
                                                "cart",
                                                "unknown",
                                                money("0.3704"))
                                        .and("EUR", 3, 1, null, at(-5), at(2), at(32), 1800, 3),
                                row(
                                                "shop-1",
                                                "c3",
                                                "cust-3",
                                                "shipping",
                                                "unexpected_costs",
                                                money("99.99"))
                                        .and(
                                                "EUR",
                                                1,
                                                1,
                                                money("12.50"),
                                                at(0),
                                                at(10),
                                                at(40),
                                                1800,
                                                4),
                                row(
                                                "shop-2",
                                                "c4",
                                                "cust-4",
                                                "cart",
                                                "complicated_checkout",
                                                money("60"))
                                        .and("USD", 2, 1, null, at(5), at(15), at(45), 1800, 5),
                                row(
                                                "shop-2",
                                                "c5",
                                                "cust-5",
                                                "payment",
                                                "payment_problem",
                                                money("0"))
                                        .and(null, 1, 1, null, at(20), at(25), at(55), 1800, 6),
                                row("shop-1", "c6", "cust-6", "checkout", "unknown", money("12.00"))
                                        .and(
                                                "EUR",
                                                1,
                                                1,
                                                null,
                                                d40.minusSeconds(600),
                                                d40,
                                                d40,
                                                1800,
                                                7),
                                row("shop-2", "c7", "cust-7", "cart", "unknown", money("30.00"))
                                        .and(
                                                "USD",
                                                2,
                                                2,
                                                null,
                                                d80.minusSeconds(600),
                                                d80,
                                                d80,
                                                1800,
                                                8),
                                row("shop-1", "c8", "cust-8", "cart", "unknown", money("20.00"))
                                        .and("EUR", 1, 1, null, at(30), at(40), at(70), 1800, 9),
                                row("shop-3", "c9", "cust-9", "cart", "unknown", money("5.00"))
                                        .and("EUR", 1, 1, null, at(45), at(50), at(80), 1800, 10)),
                        insert(
                                "contact_tasks (task_id, type, store_id, cart_id, attempt, channel,"
                                        + " agent_id, stage, reason, cart_value, currency, abandoned_at,"
                                        + " detected_at, due_by, cancel_reason, cancelled_at, order_id,"
                                        + " occurred_at, emitted_at, version)",
                                row(t1, "create", "shop-1", "c1", 1, "phone", "agent-1", "payment")
                                        .and(
                                                "payment_problem",
                                                money("45.80"),
                                                "EUR",
                                                at(0),
                                                at(30),
                                                at(60))
                                        .and(null, null, null, at(30), at(30), 11),
                                row(t2, "create", "shop-1", "visitor/v-77", 1, "sms", null, "cart")
                                        .and(
                                                "unknown",
                                                money("0.3704"),
                                                "EUR",
                                                at(2),
                                                at(32),
                                                at(62))
                                        .and(null, null, null, at(32), at(32), 12),
                                row(t3, "create", "shop-1", "c3", 1, "phone", null, "shipping")
                                        .and(
                                                "unexpected_costs",
                                                money("99.99"),
                                                "EUR",
                                                at(10),
                                                at(40),
                                                at(70))
                                        .and(null, null, null, at(40), at(40), 13),
                                row(t3, "cancel", "shop-1", "c3", 1, null, null, null)
                                        .and(null, null, null, null, null, null)
                                        .and("purchased", at(50), "o-3", at(50), at(50), 14),
                                row(t4, "create", "shop-2", "c4", 1, "phone", "agent-2", "cart")
                                        .and(
                                                "complicated_checkout",
                                                money("60"),
                                                "USD",
                                                at(15),
                                                at(45),
                                                at(75))
                                        .and(null, null, null, at(45), at(45), 15),
                                row(t5, "create", "shop-2", "c5", 1, null, null, "payment")
                                        .and(
                                                "payment_problem",
                                                money("0"),
                                                null,
                                                at(25),
                                                at(55),
                                                at(85))
                                        .and(null, null, null, at(55), at(55), 16),
                                row(t6, "create", "shop-1", "c6", 1, "email", null, "checkout")
                                        .and(
                                                "unknown",
                                                money("12.00"),
                                                "EUR",
                                                d40,
                                                d40.plusSeconds(1800))
                                        .and(d40.plusSeconds(3600), null, null, null)
                                        .and(d40.plusSeconds(1800), d40.plusSeconds(1800), 17)),
                        insert(
                                "contact_attempts (attempt_id, task_id, store_id, cart_id, attempt,"
                                        + " channel, agent_id, abandoned_at, due_by, started_at,"
                                        + " attempted_at, ended_at, outcome, reached, responded,"
                                        + " objection, version)",
                                row("a1", t1, "shop-1", "c1", 1, "phone", "agent-1", at(0), at(60))
                                        .and(at(30), null, null, "pending", 0, 0, null, 20),
                                row("a2", t1, "shop-1", "c1", 2, "sms", null, at(0), at(60))
                                        .and(at(80), null, null, "pending", 0, 0, null, 22),
                                row("a3", t4, "shop-2", "c4", 1, "phone", "agent-2", at(15), at(75))
                                        .and(at(45), at(90), at(91), "no_answer", 0, 0, null, 23),
                                row(
                                                "a4",
                                                t2,
                                                "shop-1",
                                                "visitor/v-77",
                                                1,
                                                "sms",
                                                null,
                                                at(2),
                                                at(62))
                                        .and(
                                                at(32),
                                                at(33),
                                                null,
                                                "replied",
                                                1,
                                                1,
                                                "shipping_cost",
                                                24),
                                row("a5", t6, "shop-1", "c6", 1, "email", null, d40)
                                        .and(d40.plusSeconds(3600), d40.plusSeconds(1800))
                                        .and(
                                                d40.plusSeconds(2400),
                                                null,
                                                "delivered",
                                                1,
                                                0,
                                                null,
                                                25)),
                        insert(
                                "recoveries (store_id, cart_id, order_id, abandoned_at, recovered_at,"
                                        + " recovered_value, currency, task_id, channel, agent_id,"
                                        + " contacted, in_holdout, version)",
                                row(
                                                "shop-1",
                                                "c1",
                                                "o-1",
                                                at(0),
                                                at(50),
                                                money("45.80"),
                                                "EUR",
                                                t1,
                                                "phone")
                                        .and("agent-1", 1, 0, 30),
                                row(
                                                "shop-1",
                                                "c3",
                                                "o-3",
                                                at(10),
                                                at(50),
                                                money("99.99"),
                                                "EUR",
                                                t3,
                                                null)
                                        .and(null, 0, 0, 31),
                                row(
                                                "shop-1",
                                                "c8",
                                                "o-8",
                                                at(40),
                                                at(100),
                                                money("20.00"),
                                                "EUR",
                                                null,
                                                null)
                                        .and(null, 0, 1, 32),
                                row(
                                                "shop-2",
                                                "c7",
                                                "o-7",
                                                d80,
                                                d80.plusSeconds(86400),
                                                money("30"),
                                                "USD")
                                        .and(null, null, null, 0, 0, 33),
                                row(
                                                "shop-1",
                                                "c6",
                                                "o-6",
                                                d40,
                                                d40.plusSeconds(7200),
                                                money("12.00"),
                                                "EUR")
                                        .and(t6, "email", null, 1, 0, 34)),
                        insert(
                                "holdout (store_id, cart_id, in_holdout, assigned_at, version)",
                                row("shop-1", "c1", 0, at(30), 40),
                                row("shop-1", "visitor/v-77", 0, at(32), 41),
                                row("shop-1", "c3", 0, at(40), 42),
                                row("shop-2", "c4", 0, at(45), 43),
                                row("shop-1", "c6", 0, d40.plusSeconds(1800), 44),
                                row("shop-2", "c7", 0, d80.plusSeconds(1800), 45),
                                row("shop-1", "c8", 1, at(70), 46)),
                        insert(
                                "kpi_minute (store_id, window_start, stage, reason, currency,"
                                        + " carts_abandoned, abandoned_value, tasks_created,"
                                        + " tasks_cancelled, carts_created, version)",
                                row("shop-1", at(-20), "", "", "", 0, money("0"), 0, 0, 1, 50),
                                row("shop-1", at(-5), "", "", "", 0, money("0"), 0, 0, 1, 51),
                                row("shop-1", at(0), "", "", "", 0, money("0"), 0, 0, 1, 52),
                                row("shop-2", at(5), "", "", "", 0, money("0"), 0, 0, 1, 53),
                                row("shop-2", at(20), "", "", "", 0, money("0"), 0, 0, 1, 54),
                                row("shop-1", at(30), "", "", "", 0, money("0"), 0, 0, 1, 55),
                                row("shop-3", at(45), "", "", "", 0, money("0"), 0, 0, 1, 56),
                                row(
                                                "shop-1",
                                                at(0),
                                                "payment",
                                                "payment_problem",
                                                "EUR",
                                                1,
                                                money("39.80"))
                                        .and(0, 0, 0, 57),
                                row(
                                                "shop-2",
                                                at(15),
                                                "cart",
                                                "complicated_checkout",
                                                "USD",
                                                1,
                                                money("60"))
                                        .and(0, 0, 0, 59),
                                row(
                                                "shop-1",
                                                at(30),
                                                "payment",
                                                "payment_problem",
                                                "EUR",
                                                0,
                                                money("0"))
                                        .and(1, 0, 0, 60),
                                row("shop-1", at(50), "", "", "", 0, money("0"), 0, 1, 0, 61)),
                        insert(
                                "contact_kpi_minute (store_id, window_start, channel, agent_id, currency,"
                                        + " attempts, reached, responded, first_contacts,"
                                        + " first_contact_seconds, first_contacts_within_30m,"
                                        + " first_contact_p50_seconds, first_contact_p90_seconds,"
                                        + " recoveries, recovered_value, carts_treated, carts_held_out,"
                                        + " holdout_recoveries, holdout_recovered_value, version)",
                                row("shop-1", at(35), "phone", "agent-1", "", 1, 1, 1, 1, 2100, 0)
                                        .and(
                                                2100.0,
                                                2100.0,
                                                0,
                                                money("0"),
                                                0,
                                                0,
                                                0,
                                                money("0"),
                                                70),
                                row("shop-1", at(33), "sms", "", "", 1, 1, 1, 1, 1860, 0)
                                        .and(
                                                1234.5,
                                                2345.678901234,
                                                0,
                                                money("0"),
                                                0,
                                                0,
                                                0,
                                                money("0"),
                                                71),
                                row("shop-2", at(90), "phone", "agent-2", "", 3, 0, 0, 1, 4500, 0)
                                        .and(
                                                4500.0,
                                                4500.0,
                                                0,
                                                money("0"),
                                                0,
                                                0,
                                                0,
                                                money("0"),
                                                72),
                                row("shop-1", at(50), "phone", "agent-1", "EUR", 0, 0, 0, 0, 0, 0)
                                        .and(
                                                null,
                                                null,
                                                1,
                                                money("45.80"),
                                                0,
                                                0,
                                                0,
                                                money("0"),
                                                73),
                                row("shop-1", at(40), "", "", "EUR", 0, 0, 0, 0, 0, 0)
                                        .and(null, null, 0, money("0"), 2, 1, 0, money("0"), 74),
                                row("shop-1", at(100), "", "", "EUR", 0, 0, 0, 0, 0, 0)
                                        .and(
                                                null,
                                                null,
                                                0,
                                                money("0"),
                                                0,
                                                0,
                                                1,
                                                money("20.00"),
                                                75),
                                row("shop-3", at(60), "email", "", "", 1, 1, 0, 1, 600, 1)
                                        .and(600.0, 600.0, 0, money("0"), 0, 0, 0, money("0"), 76)),
                        insert(
                                "alerts (alert_id, type, raised_at, store_id, task_id, agent_id, cause,"
                                        + " version)",
                                row(
                                        "al-1",
                                        "sla_at_risk",
                                        at(65),
                                        "shop-1",
                                        t3,
                                        "",
                                        "unassigned",
                                        80),
                                row(
                                        "al-2",
                                        "sla_breached",
                                        at(85),
                                        "shop-2",
                                        t5,
                                        "",
                                        "unassigned",
                                        81),
                                row("al-3", "queue_growing", at(60), "", "", "", "", 82),
                                row(
                                        "al-4",
                                        "agent_over_capacity",
                                        at(61),
                                        "",
                                        "",
                                        "agent-2",
                                        "3",
                                        83),
                                row(
                                        "al-5",
                                        "sla_at_risk",
                                        at(66),
                                        "shop-3",
                                        "",
                                        "",
                                        "unassigned",
                                        84)),
                        insert(
                                "alert_kpi_minute (store_id, window_start, agent_id, type, alerts,"
                                        + " version)",
                                row("shop-1", at(65), "", "sla_at_risk", 1, 90),
                                row("shop-2", at(85), "", "sla_breached", 1, 91),
                                row("", at(60), "", "queue_growing", 1, 92),
                                row("", at(61), "agent-2", "agent_over_capacity", 1, 93),
                                row("shop-3", at(66), "", "sla_at_risk", 1, 94)),
                        // Written again later, each in a part of its own, so that both rows are
                        // there
                        // until a merge (a 26.7 part replaces its own duplicates when written;
                        // 18.16's
                        // does not): the later version wins.
                        insert(
                                "abandoned_carts (store_id, cart_id, customer_id, stage, reason,"
                                        + " cart_value, currency, item_count, line_count, shipping_cost,"
                                        + " opened_at, abandoned_at, detected_at, gap_seconds, version)",
                                // Reported again with new contents.
                                row(
                                                "shop-1",
                                                "c1",
                                                "cust-1",
                                                "payment",
                                                "payment_problem",
                                                money("45.80"))
                                        .and(
                                                "EUR",
                                                3,
                                                2,
                                                money("4.90"),
                                                at(-20),
                                                at(0),
                                                at(30),
                                                1800,
                                                2)),
                        insert(
                                "contact_attempts (attempt_id, task_id, store_id, cart_id, attempt,"
                                        + " channel, agent_id, abandoned_at, due_by, started_at,"
                                        + " attempted_at, ended_at, outcome, reached, responded,"
                                        + " objection, version)",
                                // Its outcome came.
                                row("a1", t1, "shop-1", "c1", 1, "phone", "agent-1", at(0), at(60))
                                        .and(at(30), at(35), at(40), "reached", 1, 1, "price", 21)),
                        insert(
                                "kpi_minute (store_id, window_start, stage, reason, currency,"
                                        + " carts_abandoned, abandoned_value, tasks_created,"
                                        + " tasks_cancelled, carts_created, version)",
                                // A replay wrote the window again, with the cart's later value.
                                row(
                                                "shop-1",
                                                at(0),
                                                "payment",
                                                "payment_problem",
                                                "EUR",
                                                1,
                                                money("45.80"))
                                        .and(0, 0, 0, 58))));
        return statements;
    }

    /**
     * For the "Recovery rate dropped" rule, which needs 20 carts of a store abandoned in the day
     * before the last 2 hours and a recovery before that: an hourly cart of shop-2 in that day,
     * every fourth bought; and two carts three days back, one bought.
     */
    private static List<String> lastDays() {
        List<Row> carts = new ArrayList<>();
        List<Row> recoveries = new ArrayList<>();
        for (int hour = 1; hour <= 24 + 2; hour++) {
            Instant abandoned = A.minus(Duration.ofHours(hour)).plusSeconds(hour);
            if (hour > 24) {
                abandoned = A.minus(Duration.ofDays(3)).plusSeconds(hour);
            }
            String cart = "day-" + hour;
            carts.add(
                    row("shop-2", cart, "cust-" + cart, "cart", "unknown", money(hour + ".25"))
                            .and("USD", 1, 1, null, abandoned.minusSeconds(300), abandoned)
                            .and(abandoned.plusSeconds(1800), 1800, 100 + hour));
            if (hour % 4 == 0 || hour == 25) {
                recoveries.add(
                        row("shop-2", cart, "o-" + cart, abandoned, abandoned.plusSeconds(5400))
                                .and(money(hour + ".25"), "USD", null, null, null, 0, 0)
                                .and(200 + hour));
            }
        }
        return List.of(
                insert(
                        "abandoned_carts (store_id, cart_id, customer_id, stage, reason,"
                                + " cart_value, currency, item_count, line_count, shipping_cost,"
                                + " opened_at, abandoned_at, detected_at, gap_seconds, version)",
                        carts.toArray(Row[]::new)),
                insert(
                        "recoveries (store_id, cart_id, order_id, abandoned_at, recovered_at,"
                                + " recovered_value, currency, task_id, channel, agent_id,"
                                + " contacted, in_holdout, version)",
                        recoveries.toArray(Row[]::new)));
    }

    /** An exact amount, written as a number: a quoted one is a String to 18.16. */
    private static BigDecimal money(String amount) {
        return new BigDecimal(amount);
    }

    /** Minutes after the facts' clock. */
    private static Instant at(int minutes) {
        return A.plus(Duration.ofMinutes(minutes));
    }

    /** A row of literals, written out in several calls to keep lines short. */
    private record Row(List<Object> values) {
        Row and(Object... more) {
            List<Object> all = new ArrayList<>(values);
            all.addAll(Arrays.asList(more));
            return new Row(all);
        }
    }

    private static Row row(Object... values) {
        return new Row(Arrays.asList(values));
    }

    /** One INSERT of literals (plain SQL both versions parse alike). */
    private static String insert(String into, Row... rows) {
        return "INSERT INTO "
                + into
                + " VALUES "
                + Arrays.stream(rows)
                        .map(
                                r ->
                                        r.values().stream()
                                                .map(BoardFacts::literal)
                                                .collect(Collectors.joining(", ", "(", ")")))
                        .collect(Collectors.joining(", "));
    }

    private static String literal(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Instant instant) {
            return "'" + DATE_TIME.format(instant) + "'";
        }
        if (value instanceof String text) {
            return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        if (value instanceof BigDecimal amount) {
            return amount.toPlainString();
        }
        return value.toString();
    }
}

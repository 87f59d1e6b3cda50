package io.cartrecovery.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.testing.ClickHouseServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The views the boards read since {@code 0013_boards_read_less.sql} against recomputations from the
 * facts, with rows written again as the job writes them again (a restart rewriting the same rows
 * with newer versions, an attempt written pending and then with each outcome, a cart reported again
 * with another time, stage and value, a recovery rewritten with its credit), before any merge, and
 * after the migration ran a second time.
 */
class BoardViewsTest {
    @RegisterExtension static final ClickHouseServer CLICKHOUSE = new ClickHouseServer();

    private static final String OUTCOME_COLUMNS =
            "store_id, cart_id, stage, reason, cart_value, currency, toUInt32(abandoned_at) AS"
                    + " abandoned, contactable, contacted, toUInt32(first_contact_at) AS"
                    + " first_contact, attempts, reached, responded, recovered,"
                    + " toUInt32(recovered_at) AS recovered_time, recovered_value,"
                    + " recovered_currency, recovered_channel, recovered_agent_id, assigned,"
                    + " in_holdout";

    /** Each minute view added up as the panels add it up, and its *_per_minute view. */
    private static final Map<String, String[]> MINUTE_VIEWS =
            Map.of(
                    "abandoned_carts_minute_rows",
                    new String[] {
                        "SELECT minute, store_id, stage, reason, currency, count() AS carts,"
                                + " sum(cart_value) AS cart_value, sum(item_count) AS items FROM"
                                + " abandoned_carts_minute_rows GROUP BY minute, store_id, stage,"
                                + " reason, currency ORDER BY minute, store_id, stage, reason,"
                                + " currency",
                        "SELECT minute, store_id, stage, reason, currency, carts, cart_value,"
                                + " items FROM abandoned_carts_per_minute ORDER BY minute,"
                                + " store_id, stage, reason, currency"
                    },
                    "contact_tasks_minute_rows",
                    new String[] {
                        "SELECT minute, store_id, type, cancel_reason, stage, reason, channel,"
                                + " agent_id, count() AS tasks FROM contact_tasks_minute_rows"
                                + " GROUP BY minute, store_id, type, cancel_reason, stage, reason,"
                                + " channel, agent_id ORDER BY minute, store_id, type",
                        "SELECT minute, store_id, type, cancel_reason, stage, reason, channel,"
                                + " agent_id, tasks FROM contact_tasks_per_minute ORDER BY minute,"
                                + " store_id, type"
                    },
                    "recoveries_minute_rows",
                    new String[] {
                        "SELECT minute, store_id, channel, agent_id, contacted, in_holdout,"
                                + " currency, count() AS recoveries, sum(recovered_value) AS"
                                + " recovered_value FROM recoveries_minute_rows GROUP BY minute,"
                                + " store_id, channel, agent_id, contacted, in_holdout, currency"
                                + " ORDER BY minute, store_id, in_holdout",
                        "SELECT minute, store_id, channel, agent_id, contacted, in_holdout,"
                                + " currency, recoveries, recovered_value FROM"
                                + " recoveries_per_minute ORDER BY minute, store_id, in_holdout"
                    });

    @Test
    void theBoardsViewsEqualTheFactsWithRowsWrittenAgain() {
        String database = CLICKHOUSE.newDatabase();
        SchemaMigrator migrator =
                new SchemaMigrator(
                        new ClickHouseHttp(CLICKHOUSE.clickHouseSettings(database)), database);
        List<Migration> migrations = Migrations.bundled();
        migrator.apply(migrations);
        // cart_outcomes as 0012 defined it (three ANY LEFT JOINs of the latest views), under
        // another name: the definition the board tests checked against the facts until 0013.
        Migration contactable =
                migrations.stream()
                        .filter(m -> m.file().equals("0012_contactable.sql"))
                        .findFirst()
                        .orElseThrow();
        String joined =
                contactable.statements().stream()
                        .filter(s -> s.contains("CREATE VIEW IF NOT EXISTS cart_outcomes AS"))
                        .findFirst()
                        .orElseThrow()
                        .replace("cart_outcomes AS", "cart_outcomes_joined AS");
        CLICKHOUSE.execute(database, joined);

        writeFacts(database);
        assertViewsEqualTheFacts(database);

        // The migration run a second time (as after a failure half-way) changes nothing; then a
        // restart writes every fact again with newer versions: still the same numbers.
        Migration boards =
                migrations.stream()
                        .filter(m -> m.file().equals("0013_boards_read_less.sql"))
                        .findFirst()
                        .orElseThrow();
        migrator.runAgain(boards);
        for (String table :
                List.of(
                        "abandoned_carts",
                        "contact_tasks",
                        "contact_attempts",
                        "recoveries",
                        "holdout")) {
            List<String> columns =
                    CLICKHOUSE
                            .rows(
                                    database,
                                    "SELECT name FROM system.columns WHERE database = '"
                                            + database
                                            + "' AND table = '"
                                            + table
                                            + "' AND name != 'version'")
                            .stream()
                            .map(r -> r.get("name"))
                            .toList();
            CLICKHOUSE.execute(
                    database,
                    "INSERT INTO %s (%s, version) SELECT %s, version + 1000 FROM %s_by_key FINAL"
                            .formatted(
                                    table,
                                    String.join(", ", columns),
                                    String.join(", ", columns),
                                    table));
        }
        assertViewsEqualTheFacts(database);
    }

    private static void assertViewsEqualTheFacts(String database) {
        String outcomes = "SELECT " + OUTCOME_COLUMNS + " FROM %s ORDER BY store_id, cart_id";
        List<Map<String, String>> rows =
                CLICKHOUSE.rows(database, outcomes.formatted("cart_outcomes"));
        assertThat(rows)
                .isEqualTo(CLICKHOUSE.rows(database, outcomes.formatted("cart_outcomes_joined")));
        // Each column alone too: a query that reads some columns has the others dropped from
        // every branch of the view's UNION ALL, which 18.16 does by name.
        for (String column :
                CLICKHOUSE
                        .rows(
                                database,
                                "SELECT name FROM system.columns WHERE database = currentDatabase()"
                                        + " AND table = 'cart_outcomes'")
                        .stream()
                        .map(r -> r.get("name"))
                        .toList()) {
            String one = "SELECT cart_id, " + column + " FROM %s ORDER BY store_id, cart_id";
            assertThat(CLICKHOUSE.rows(database, one.formatted("cart_outcomes")))
                    .as(column)
                    .isEqualTo(CLICKHOUSE.rows(database, one.formatted("cart_outcomes_joined")));
        }
        // Recomputed from the facts by hand: each cart's latest report; attempts made (with an
        // outcome), the earliest outcome, reached when any made attempt's latest row says so;
        // the latest recovery and holdout row. c9 has a recovery and a holdout row but was never
        // reported abandoned: no row, as the left join of 0012 had none.
        assertThat(rows)
                .extracting(
                        r ->
                                String.join(
                                        " ",
                                        r.get("cart_id"),
                                        r.get("stage"),
                                        r.get("cart_value"),
                                        r.get("currency"),
                                        r.get("abandoned"),
                                        r.get("contactable"),
                                        r.get("contacted"),
                                        r.get("first_contact"),
                                        r.get("attempts"),
                                        r.get("reached"),
                                        r.get("responded"),
                                        r.get("recovered"),
                                        r.get("recovered_value"),
                                        r.get("recovered_currency"),
                                        r.get("recovered_channel"),
                                        r.get("recovered_agent_id"),
                                        r.get("assigned"),
                                        r.get("in_holdout")))
                .containsExactly(
                        "c1 payment 12.5000 EUR 1790090000 1 1 1790000900 1 1 0 1 12.5000 EUR"
                                + " phone agent-1 1 0",
                        "c2 checkout 20.0000 USD 1790000100 1 1 1790001000 1 1 1 0 0.0000 null null"
                                + " null 1 0",
                        "c3 cart 0.0000 null 1790000150 0 0 0 0 0 0 0 0.0000 null null null 0 0",
                        "c4 shipping 7.2500 EUR 1790000200 1 1 1790000500 2 0 0 0 0.0000 null null"
                                + " null 1 0",
                        "c5 cart 3.0000 EUR 1790000250 1 0 0 0 0 0 1 3.0000 EUR null null 1 1");
        for (Map.Entry<String, String[]> view : MINUTE_VIEWS.entrySet()) {
            assertThat(CLICKHOUSE.rows(database, view.getValue()[0]))
                    .as(view.getKey())
                    .isNotEmpty()
                    .isEqualTo(CLICKHOUSE.rows(database, view.getValue()[1]));
        }
        // The cart reported again counts once, in the minute of its latest report.
        assertThat(
                        CLICKHOUSE.rows(
                                database,
                                "SELECT cart_id, toUInt32(minute) AS minute, stage, cart_value"
                                        + " FROM abandoned_carts_minute_rows WHERE cart_id = 'c1'"))
                .containsExactly(
                        Map.of(
                                "cart_id", "c1",
                                "minute", "1790089980",
                                "stage", "payment",
                                "cart_value", "12.5000"));
        assertThat(
                        CLICKHOUSE.rows(
                                database,
                                "SELECT type, count() AS tasks FROM contact_tasks_minute_rows"
                                        + " GROUP BY type ORDER BY type"))
                .extracting(r -> r.get("type") + "=" + r.get("tasks"))
                .containsExactly("cancel=1", "create=2");
    }

    /** The facts, as the job writes them, with repeats; versions increase per key. */
    private static void writeFacts(String database) {
        CLICKHOUSE.execute(
                database,
                "INSERT INTO abandoned_carts (store_id, cart_id, stage, reason, cart_value,"
                        + " currency, item_count, line_count, opened_at, abandoned_at,"
                        + " detected_at, gap_seconds, contactable, version) VALUES"
                        // c1: reported, then back and left again the next day, other contents
                        + " ('s1', 'c1', 'cart', 'unknown', 10, 'EUR', 1, 1, 1790000000,"
                        + " 1790000060, 1790001860, 1800, 1, 1),"
                        + " ('s1', 'c2', 'checkout', 'unknown', 20, 'USD', 2, 1, 1790000000,"
                        + " 1790000100, 1790001900, 1800, 1, 2),"
                        // c3: no prices, nobody to contact
                        + " ('s2', 'c3', 'cart', 'unknown', 0, NULL, 1, 1, 1790000000,"
                        + " 1790000150, 1790001950, 1800, 0, 3),"
                        + " ('s2', 'c4', 'shipping', 'unexpected_costs', 7.25, 'EUR', 1, 1,"
                        + " 1790000000, 1790000200, 1790002000, 1800, 1, 4),"
                        + " ('s2', 'c5', 'cart', 'unknown', 3, 'EUR', 1, 1, 1790000000,"
                        + " 1790000250, 1790002050, 1800, 1, 5)");
        CLICKHOUSE.execute(
                database,
                "INSERT INTO abandoned_carts (store_id, cart_id, stage, reason, cart_value,"
                        + " currency, item_count, line_count, opened_at, abandoned_at,"
                        + " detected_at, gap_seconds, contactable, version) VALUES"
                        + " ('s1', 'c1', 'payment', 'payment_problem', 12.5, 'EUR', 2, 2,"
                        + " 1790000000, 1790090000, 1790091800, 1800, 1, 6),"
                        // c2 written again by a restart: the same row, a newer version
                        + " ('s1', 'c2', 'checkout', 'unknown', 20, 'USD', 2, 1, 1790000000,"
                        + " 1790000100, 1790001900, 1800, 1, 7)");
        String tasks =
                "INSERT INTO contact_tasks (task_id, type, store_id, cart_id, attempt, channel,"
                        + " agent_id, stage, reason, cart_value, currency, abandoned_at,"
                        + " due_by, cancel_reason, cancelled_at, occurred_at, version) VALUES ";
        CLICKHOUSE.execute(
                database,
                tasks
                        + "('00000000-0000-4000-8000-000000000001', 'create', 's1', 'c1', 1,"
                        + " 'phone', 'agent-1', 'cart', 'unknown', 10, 'EUR', 1790000060,"
                        + " 1790003660, NULL, NULL, 1790001860, 10),"
                        + " ('00000000-0000-4000-8000-000000000002', 'create', 's1', 'c2', 1,"
                        + " 'sms', NULL, 'checkout', 'unknown', 20, 'USD', 1790000100,"
                        + " 1790003700, NULL, NULL, 1790001900, 11)");
        CLICKHOUSE.execute(
                database,
                tasks
                        + "('00000000-0000-4000-8000-000000000001', 'create', 's1', 'c1', 1,"
                        + " 'phone', 'agent-1', 'cart', 'unknown', 10, 'EUR', 1790000060,"
                        + " 1790003660, NULL, NULL, 1790001860, 12),"
                        + " ('00000000-0000-4000-8000-000000000001', 'cancel', 's1', 'c1', 1,"
                        + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'purchased',"
                        + " 1790100000, 1790100000, 13)");
        String attempts =
                "INSERT INTO contact_attempts (attempt_id, task_id, store_id, cart_id, attempt,"
                        + " channel, agent_id, abandoned_at, due_by, started_at, attempted_at,"
                        + " ended_at, outcome, reached, responded, version) VALUES ";
        // c1's first attempt: pending, then made (no answer), then reached by a later outcome;
        // its second attempt never made. c2's made and rewritten by a restart. c4: two made.
        CLICKHOUSE.execute(
                database,
                attempts
                        + "('a1', '00000000-0000-4000-8000-000000000001', 's1', 'c1', 1, 'phone',"
                        + " 'agent-1', 1790000060, 1790003660, 1790001860, NULL, NULL,"
                        + " 'pending', 0, 0, 20),"
                        + " ('a2', '00000000-0000-4000-8000-000000000003', 's1', 'c1', 2,"
                        + " 'phone', 'agent-1', 1790000060, 1790090060, 1790088260, NULL, NULL,"
                        + " 'pending', 0, 0, 21),"
                        + " ('a3', '00000000-0000-4000-8000-000000000002', 's1', 'c2', 1, 'sms',"
                        + " NULL, 1790000100, 1790003700, 1790001900, 1790001000, 1790001000,"
                        + " 'replied', 1, 1, 22),"
                        + " ('a4', '00000000-0000-4000-8000-000000000004', 's2', 'c4', 1,"
                        + " 'email', NULL, 1790000200, 1790003800, 1790002000, 1790000500,"
                        + " 1790000500, 'delivered', 0, 0, 23),"
                        + " ('a5', '00000000-0000-4000-8000-000000000005', 's2', 'c4', 2,"
                        + " 'email', NULL, 1790000200, 1790090200, 1790088400, 1790088500,"
                        + " 1790088500, 'delivered', 0, 0, 24)");
        CLICKHOUSE.execute(
                database,
                attempts
                        + "('a1', '00000000-0000-4000-8000-000000000001', 's1', 'c1', 1, 'phone',"
                        + " 'agent-1', 1790000060, 1790003660, 1790001860, 1790000900,"
                        + " 1790000900, 'no_answer', 0, 0, 25),"
                        + " ('a3', '00000000-0000-4000-8000-000000000002', 's1', 'c2', 1, 'sms',"
                        + " NULL, 1790000100, 1790003700, 1790001900, 1790001000, 1790001000,"
                        + " 'replied', 1, 1, 26)");
        CLICKHOUSE.execute(
                database,
                attempts
                        + "('a1', '00000000-0000-4000-8000-000000000001', 's1', 'c1', 1, 'phone',"
                        + " 'agent-1', 1790000060, 1790003660, 1790001860, 1790000900,"
                        + " 1790002000, 'reached', 1, 0, 27)");
        String recoveries =
                "INSERT INTO recoveries (store_id, cart_id, order_id, abandoned_at, recovered_at,"
                        + " recovered_value, currency, task_id, channel, agent_id, contacted,"
                        + " in_holdout, version) VALUES ";
        // c1's recovery first written without credit, then with the reaching attempt's; c5 is
        // held out and bought anyway; c9 bought but was never reported abandoned.
        CLICKHOUSE.execute(
                database,
                recoveries
                        + "('s1', 'c1', 'o1', 1790090000, 1790100000, 12.5, 'EUR', NULL, NULL,"
                        + " NULL, 0, 0, 30),"
                        + " ('s2', 'c5', 'o5', 1790000250, 1790005000, 3, 'EUR', NULL, NULL, NULL,"
                        + " 0, 1, 31),"
                        + " ('s2', 'c9', 'o9', 1790000300, 1790005000, 9, 'EUR', NULL, NULL, NULL,"
                        + " 0, 0, 32)");
        CLICKHOUSE.execute(
                database,
                recoveries
                        + "('s1', 'c1', 'o1', 1790090000, 1790100000, 12.5, 'EUR',"
                        + " '00000000-0000-4000-8000-000000000001', 'phone', 'agent-1', 1, 0,"
                        + " 33)");
        String holdout =
                "INSERT INTO holdout (store_id, cart_id, in_holdout, assigned_at, version) VALUES ";
        CLICKHOUSE.execute(
                database,
                holdout
                        + "('s1', 'c1', 0, 1790001860, 40), ('s1', 'c2', 0, 1790001900, 41),"
                        + " ('s2', 'c4', 0, 1790002000, 42), ('s2', 'c5', 1, 1790002050, 43),"
                        + " ('s2', 'c9', 0, 1790002100, 44)");
        CLICKHOUSE.execute(
                database,
                holdout + "('s1', 'c1', 0, 1790091800, 45), ('s2', 'c5', 1, 1790002050, 46)");
    }
}

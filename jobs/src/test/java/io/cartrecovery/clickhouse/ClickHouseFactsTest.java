package io.cartrecovery.clickhouse;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.Events.event;
import static io.cartrecovery.testing.Events.minutes;
import static io.cartrecovery.testing.Events.purchase;
import static io.cartrecovery.testing.ReplayRun.clockAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.config.ClickHouseSettings;
import io.cartrecovery.config.Configs;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.ReasonHint;
import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.events.EventType;
import io.cartrecovery.events.InvalidEventException;
import io.cartrecovery.events.Stage;
import io.cartrecovery.followup.Holdout;
import io.cartrecovery.job.StreamingJob;
import io.cartrecovery.tasks.ContactTask;
import io.cartrecovery.testing.ClickHouseServer;
import io.cartrecovery.testing.ReplayRun;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Facts written by the job into a real ClickHouse 18.16 and read back over HTTP: they equal the
 * replay's own files, and a second run of the same replay changes no query result.
 */
class ClickHouseFactsTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @RegisterExtension static final ClickHouseServer CLICKHOUSE = new ClickHouseServer();

    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /** Wall-clock columns: they differ between two runs of the same replay, nothing else may. */
    private static final List<String> WALL_CLOCK =
            List.of("detected_at", "emitted_at", "row_version");

    @TempDir Path dir;

    /**
     * Alice leaves at shipping; Bob buys in time; Carol is reported, then buys (a cancel); a
     * visitor's cart has sub-cent prices; Erin comes back after her report and leaves again (one
     * cart, reported twice); a USD cart with a store cart id in a second store.
     */
    private static List<String> scenario() {
        return List.of(
                add("p1", 2, "19.90").customer("alice").atMinute(0).json(),
                event(EventType.SHIPPING_INFO)
                        .customer("alice")
                        .shipping("7.50")
                        .atMinute(1)
                        .json(),
                add("p1", 1, "5.00").customer("bob").atMinute(0).json(),
                add("p2", 1, "12.00").customer("erin").atMinute(0).json(),
                add("p9", 1, "99.99").customer("carol").atMinute(1).json(),
                add("p7", 3, "0.1235").visitor("v-77").atMinute(2).json(),
                add("p5", 2, "30.00")
                        .store("shop-2")
                        .cart("c-900")
                        .currency("USD")
                        .atMinute(3)
                        .json(),
                purchase().customer("bob").atMinute(4).json(),
                add("p3", 2, "8.50").customer("erin").atMinute(15).json(),
                purchase().customer("carol").orderId("order-1001").atMinute(20).json(),
                clockAt(40));
    }

    /**
     * Profiles of the scenario's customers, consenting to e-mail: their carts are contactable and
     * get e-mail tasks (no calls, so no agents needed); the visitor's and shop-2's store cart are
     * anonymous, abandoned but not contactable.
     */
    private static List<String> profiles() {
        return List.of("alice", "bob", "erin", "carol").stream()
                .map(
                        c ->
                                "{\"store_id\":\"shop-1\",\"customer_id\":\""
                                        + c
                                        + "\",\"email\":\""
                                        + c
                                        + "@example.com\",\"consent\":{\"email\":"
                                        + "{\"granted\":true}}}")
                .toList();
    }

    private ReplayRun replay(List<String> lines, Map<String, String> settings) throws Exception {
        return ReplayRun.withProfiles(dir, lines, profiles(), settings);
    }

    private Map<String, String> settings(String database) {
        Map<String, String> settings = new HashMap<>(CLICKHOUSE.settings(database));
        // Small batches, so a run takes several inserts per table.
        settings.put("clickhouse.batch-size", "2");
        settings.put("clickhouse.flush-interval", "100ms");
        return settings;
    }

    private static String schemaApplied(String database) {
        new SchemaMigrator(new ClickHouseHttp(CLICKHOUSE.clickHouseSettings(database)), database)
                .apply(Migrations.bundled());
        return database;
    }

    @Test
    void replayWritesFactsThatEqualItsFilesAndARerunChangesNothing() throws Exception {
        String database = schemaApplied(CLICKHOUSE.newDatabase());

        Instant start = Instant.now();
        ReplayRun first = replay(scenario(), settings(database));
        Instant end = Instant.now();
        assertThat(first.abandoned).hasSize(6);
        assertThat(first.tasksOfType("cancel")).hasSize(1);

        List<Map<String, String>> carts = abandonedCarts(database);
        assertThat(without(carts, "row_version")).isEqualTo(expectedCarts(first));
        assertThat(carts)
                .filteredOn(c -> c.get("customer_id") == null)
                .singleElement()
                .satisfies(c -> assertThat(c.get("cart_value")).isEqualTo("0.3705"));
        assertThat(carts)
                .filteredOn(c -> "erin".equals(c.get("customer_id")))
                .singleElement()
                .satisfies(c -> assertThat(c.get("item_count")).isEqualTo("3"));
        List<Map<String, String>> tasks = contactTasks(database);
        assertThat(without(tasks, "emitted_at", "row_version"))
                .isEqualTo(without(expectedTasks(first), "emitted_at"));
        assertThat(tasks)
                .extracting(t -> t.get("emitted_at"))
                .allSatisfy(
                        at ->
                                assertThat(at)
                                        .isBetween(
                                                DATE_TIME.format(start),
                                                DATE_TIME.format(end.plusSeconds(1))));
        Map<String, List<Map<String, String>>> rollups = rollups(database);
        assertThat(rollups.get("abandoned_carts_per_day")).isEqualTo(expectedCartTotals(first));
        assertThat(rollups.get("contact_tasks_per_day"))
                .containsExactly(
                        row("type", "cancel", "tasks", "1"), row("type", "create", "tasks", "3"));
        // FINAL is the other query pattern that is right before merges.
        assertThat(
                        CLICKHOUSE.rows(
                                database,
                                "SELECT store_id, cart_id, cart_value FROM abandoned_carts FINAL"
                                        + " ORDER BY store_id, cart_id"))
                .isEqualTo(
                        CLICKHOUSE.rows(
                                database,
                                "SELECT store_id, cart_id, cart_value FROM abandoned_carts_latest"
                                        + " ORDER BY store_id, cart_id"));

        ReplayRun second = replay(scenario(), settings(database));

        assertThat(withoutWallClock(abandonedCarts(database))).isEqualTo(withoutWallClock(carts));
        assertThat(withoutWallClock(contactTasks(database))).isEqualTo(withoutWallClock(tasks));
        assertThat(rollups(database)).isEqualTo(rollups);
        // The latest write wins: the second run's rows, wall-clock values as in its own files.
        List<Map<String, String>> rerun = abandonedCarts(database);
        assertThat(without(rerun, "row_version")).isEqualTo(expectedCarts(second));
        long firstRunLastVersion =
                carts.stream()
                        .mapToLong(c -> Long.parseLong(c.get("row_version")))
                        .max()
                        .orElseThrow();
        assertThat(rerun)
                .allSatisfy(
                        c ->
                                assertThat(Long.parseLong(c.get("row_version")))
                                        .isGreaterThan(firstRunLastVersion));
    }

    @Test
    void replayWritesKpiMinutesThatEqualItsFilesAndARerunChangesNothing() throws Exception {
        String database = schemaApplied(CLICKHOUSE.newDatabase());

        Map<String, String> settings = settings(database);
        ReplayRun first = replay(scenario(), settings);

        // Every minute's totals are written as its rows come, the last by the replay's end.
        List<Map<String, String>> kpis = kpiMinutes(database);
        assertThat(without(kpis, "row_version")).isEqualTo(expectedKpiMinutes(first, scenario()));
        // Erin's cart is reported twice (minutes 0 and 15): the windows count both
        // abandonments and both creates, the *_latest views only her latest report. The
        // visitor's and the store cart id's carts are abandoned, not contactable: no task.
        assertThat(kpis.stream().mapToLong(k -> Long.parseLong(k.get("carts_abandoned"))).sum())
                .isEqualTo(6);
        assertThat(kpis.stream().mapToLong(k -> Long.parseLong(k.get("tasks_created"))).sum())
                .isEqualTo(4);
        assertThat(
                        CLICKHOUSE.rows(
                                database,
                                "SELECT store_id, window_start, stage, reason, currency,"
                                        + " carts_abandoned, abandoned_value FROM kpi_minute FINAL"
                                        + " ORDER BY store_id, window_start, stage, reason,"
                                        + " currency"))
                .isEqualTo(
                        without(
                                kpis,
                                "tasks_created",
                                "tasks_cancelled",
                                "carts_created",
                                "row_version"));

        replay(scenario(), settings);

        List<Map<String, String>> rerun = kpiMinutes(database);
        assertThat(without(rerun, "row_version")).isEqualTo(without(kpis, "row_version"));
        long firstRunLastVersion =
                kpis.stream()
                        .mapToLong(k -> Long.parseLong(k.get("row_version")))
                        .max()
                        .orElseThrow();
        // Replaced, not added to: every window's row is the second run's.
        assertThat(rerun)
                .allSatisfy(
                        k ->
                                assertThat(Long.parseLong(k.get("row_version")))
                                        .isGreaterThan(firstRunLastVersion));
    }

    /**
     * shop-2's carts get a 30 minute gap: its cart of minute 3 is reported at minute 33, long after
     * the job's watermark passed minute 3, and still counts in its minute. The replay ends at
     * minute 60 (its final watermark), and every minute is written by then, the last ones included:
     * no window waits for a watermark held back by the longest gap (the windows this replaced left
     * the minutes after 24:55 unwritten).
     */
    @Test
    void aCartReportedAGapLaterCountsInItsMinuteAndEveryMinuteIsWrittenByTheReplaysEnd()
            throws Exception {
        String database = schemaApplied(CLICKHOUSE.newDatabase());
        Map<String, String> settings = settings(database);
        settings.put("detection.gaps", "shop-2:30min");
        List<String> lines = new ArrayList<>(scenario());
        lines.add(clockAt(60));

        ReplayRun run = replay(lines, settings);

        List<Map<String, String>> expected = expectedKpiMinutes(run, lines);
        assertThat(expected)
                .as(
                        "minutes the windows (held back by the longest gap, the bound and 10"
                                + " minutes' allowed lateness) would have kept open")
                .anyMatch(
                        k ->
                                Instant.from(DATE_TIME.parse(k.get("window_start")))
                                        .plusSeconds(60)
                                        .isAfter(
                                                Instant.ofEpochMilli(minutes(60))
                                                        .minusSeconds(30 * 60 + 5 + 10 * 60)));
        assertThat(without(kpiMinutes(database), "row_version")).isEqualTo(expected);
        assertThat(kpiMinutes(database))
                .filteredOn(k -> "shop-2".equals(k.get("store_id")) && !k.get("stage").isEmpty())
                .singleElement()
                .satisfies(
                        k -> {
                            assertThat(k.get("window_start"))
                                    .isEqualTo(DATE_TIME.format(Instant.ofEpochMilli(minutes(3))));
                            assertThat(k.get("carts_abandoned")).isEqualTo("1");
                            assertThat(k.get("abandoned_value")).isEqualTo("60.0000");
                        });
    }

    @Test
    void hashedCustomerIdsLeaveNoIdInClickHouseAndStillJoin() throws Exception {
        String database = schemaApplied(CLICKHOUSE.newDatabase());
        Map<String, String> settings = settings(database);
        settings.put("clickhouse.hash-customer-ids", "true");
        settings.put("clickhouse.hash-key", "store secret");

        ReplayRun run = replay(scenario(), settings);

        for (String table : List.of("abandoned_carts", "contact_tasks")) {
            String everything =
                    CLICKHOUSE.execute(database, "SELECT * FROM " + table + " FORMAT TSV");
            assertThat(everything).isNotEmpty().doesNotContain("alice", "carol", "erin", "v-77");
        }
        String alice = hmac("store secret", "alice");
        assertThat(abandonedCarts(database))
                .filteredOn(c -> alice.equals(c.get("customer_id")))
                .singleElement()
                .satisfies(
                        c ->
                                assertThat(c.get("cart_id"))
                                        .isEqualTo("customer/" + alice + "/" + minutes(0)));
        assertThat(abandonedCarts(database))
                .extracting(c -> c.get("cart_id"))
                .contains("visitor/" + hmac("store secret", "v-77") + "/" + minutes(2), "c-900");
        // Tasks keep their ids and name the cart by the same hash as the abandoned carts.
        String carolsCart = "customer/carol/" + minutes(1);
        assertThat(
                        CLICKHOUSE.rows(
                                database,
                                "SELECT type, cart_id FROM contact_tasks_latest WHERE task_id = '"
                                        + ContactTask.taskId("shop-1", carolsCart, 1)
                                        + "' ORDER BY type"))
                .containsExactly(
                        row(
                                "type",
                                "cancel",
                                "cart_id",
                                "customer/" + hmac("store secret", "carol") + "/" + minutes(1)),
                        row(
                                "type",
                                "create",
                                "cart_id",
                                "customer/" + hmac("store secret", "carol") + "/" + minutes(1)));
        // alice, carol, and erin twice (reported again): the anonymous carts get no task.
        assertThat(run.tasksOfType("create")).hasSize(4);
    }

    @Test
    void anOutageSlowsInsertsDownAndLosesNothing() throws Exception {
        String database = schemaApplied(CLICKHOUSE.newDatabase());
        Map<String, String> settings = CLICKHOUSE.settings(database);
        settings.put("clickhouse.retry-backoff", "50ms");
        AtomicInteger retries = new AtomicInteger();
        FactInserter<AbandonedCart> inserter =
                new FactInserter<>(
                        ClickHouseSettings.from(Configs.load(null, settings)).orElseThrow(),
                        new AbandonedCartTable(),
                        retries::incrementAndGet);
        for (int i = 0; i < 3; i++) {
            inserter.add(cart("cart-" + i));
        }
        // The table is away for a while: the insert waits for it rather than failing.
        CLICKHOUSE.execute(database, "RENAME TABLE abandoned_carts TO abandoned_carts_away");
        Thread comesBack =
                new Thread(
                        () -> {
                            sleep(600);
                            CLICKHOUSE.execute(
                                    database,
                                    "RENAME TABLE abandoned_carts_away TO abandoned_carts");
                        });
        comesBack.start();
        long started = System.nanoTime();
        inserter.flush();
        comesBack.join();
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(500);
        assertThat(retries.get()).isPositive();
        assertThat(
                        CLICKHOUSE.rows(
                                database,
                                "SELECT cart_id FROM abandoned_carts_latest ORDER BY cart_id"))
                .extracting(r -> r.get("cart_id"))
                .containsExactly("cart-0", "cart-1", "cart-2");
        inserter.close();
    }

    @Test
    void anInsertThatKeepsFailingFailsTheJobNamingClickHouse() throws Exception {
        String database = schemaApplied(CLICKHOUSE.newDatabase());
        Map<String, String> settings = CLICKHOUSE.settings(database);
        settings.put("clickhouse.retry-backoff", "50ms");
        settings.put("clickhouse.retry-timeout", "300ms");
        CLICKHOUSE.execute(database, "RENAME TABLE abandoned_carts TO abandoned_carts_away");
        try (FactInserter<AbandonedCart> inserter =
                new FactInserter<>(
                        ClickHouseSettings.from(Configs.load(null, settings)).orElseThrow(),
                        new AbandonedCartTable(),
                        () -> {})) {
            inserter.add(cart("cart-0"));
            assertThatThrownBy(inserter::flush)
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith(
                            "ClickHouse at "
                                    + CLICKHOUSE.url()
                                    + " took no insert into "
                                    + database
                                    + ".abandoned_carts for PT0.3S;");
        }
    }

    /** A call nobody takes (no agents, no outcome) raises its SLA alerts, each written once. */
    @Test
    void alertsOfACallNobodyTakesAreWrittenOnce() throws Exception {
        String database = schemaApplied(CLICKHOUSE.newDatabase());
        List<String> events =
                List.of(
                        add("p1", 1, "250.00").customer("hana").cart("cart-hana").json(),
                        clockAt(120));
        List<String> profiles =
                List.of(
                        "{\"store_id\":\"shop-1\",\"customer_id\":\"hana\","
                                + "\"phone\":\"+34612345678\",\"order_count\":6,"
                                + "\"lifetime_value\":\"1500.00\","
                                + "\"consent\":{\"call\":{\"granted\":true}}}");
        ReplayRun run = ReplayRun.withProfiles(dir, events, profiles, settings(database));

        assertThat(run.alerts)
                .extracting(a -> a.get("type").asText())
                .contains("sla_at_risk", "sla_breached");
        assertThat(
                        CLICKHOUSE.rows(
                                database,
                                "SELECT alert_id, type, task_id FROM alerts_latest"
                                        + " ORDER BY alert_id"))
                .containsExactlyInAnyOrderElementsOf(
                        run.alerts.stream()
                                .map(
                                        a ->
                                                Map.of(
                                                        "alert_id", a.get("alert_id").asText(),
                                                        "type", a.get("type").asText(),
                                                        "task_id", a.path("task_id").asText("")))
                                .distinct()
                                .toList());
        // The alert windows count the alerts the replay raised, per minute, agent and type.
        Map<Map<String, String>, Long> raised =
                run.alerts.stream()
                        .collect(
                                Collectors.groupingBy(
                                        a ->
                                                Map.of(
                                                        "window_start",
                                                        DATE_TIME.format(
                                                                Instant.parse(a.get("at").asText())
                                                                        .truncatedTo(
                                                                                ChronoUnit
                                                                                        .MINUTES)),
                                                        "agent_id",
                                                        a.path("agent_id").asText(""),
                                                        "type",
                                                        a.get("type").asText()),
                                        Collectors.counting()));
        Map<Map<String, String>, Long> windows = new HashMap<>();
        for (Map<String, String> r :
                CLICKHOUSE.rows(
                        database,
                        "SELECT window_start, agent_id, type, alerts FROM alert_kpi_minute_latest")) {
            windows.put(
                    Map.of(
                            "window_start", r.get("window_start"),
                            "agent_id", r.get("agent_id"),
                            "type", r.get("type")),
                    Long.parseLong(r.get("alerts")));
        }
        assertThat(windows).isNotEmpty().isEqualTo(raised);
    }

    /**
     * Fiona is called, reached, and buys: her attempt and her recovery, credited to the call and
     * its agent. Gus is held out and buys anyway: a natural recovery. Both carts have a holdout
     * row.
     */
    @Test
    void followUpWritesAttemptsRecoveriesAndHoldout() throws Exception {
        String database = schemaApplied(CLICKHOUSE.newDatabase());
        String fiona =
                java.util.stream.IntStream.range(0, 50)
                        .mapToObj(i -> "fiona" + i)
                        .filter(c -> !Holdout.heldOut("shop-1", "cart-" + c, 0.5))
                        .findFirst()
                        .orElseThrow();
        String gus =
                java.util.stream.IntStream.range(0, 50)
                        .mapToObj(i -> "gus" + i)
                        .filter(c -> Holdout.heldOut("shop-1", "cart-" + c, 0.5))
                        .findFirst()
                        .orElseThrow();
        List<String> events = new ArrayList<>();
        List<String> profiles = new ArrayList<>();
        for (String customer : List.of(fiona, gus)) {
            events.add(add("p1", 1, "250.00").customer(customer).cart("cart-" + customer).json());
            profiles.add(
                    "{\"store_id\":\"shop-1\",\"customer_id\":\""
                            + customer
                            + "\",\"phone\":\"+34612345678\",\"order_count\":6,"
                            + "\"lifetime_value\":\"1500.00\","
                            + "\"consent\":{\"call\":{\"granted\":true}}}");
        }
        events.add(
                purchase()
                        .customer(fiona)
                        .cart("cart-" + fiona)
                        .item("p1", 1, "250.00")
                        .atMinute(60)
                        .json());
        events.add(purchase().customer(gus).item("p1", 1, "250.00").atMinute(90).json());
        events.add(clockAt(120));
        String outcome =
                "{\"task_id\":\""
                        + ContactTask.taskId("shop-1", "cart-" + fiona, 1)
                        + "\",\"store_id\":\"shop-1\",\"cart_id\":\"cart-"
                        + fiona
                        + "\",\"attempt\":1,\"agent_id\":\"agent-2\",\"channel\":\"call\","
                        + "\"outcome\":\"reached_interested\",\"objection\":\"price\","
                        + "\"time\":\""
                        + Instant.ofEpochMilli(minutes(15))
                        + "\",\"notes\":\"call +34612345678\"}";
        Map<String, String> settings = settings(database);
        settings.put("followup.holdout-share", "0.5");
        ReplayRun run = ReplayRun.withOutcomes(dir, events, profiles, List.of(outcome), settings);

        // No agents, but Fiona's outcome (minute 15) comes before her call's SLA is at risk:
        // the call was made in time, so no alert is raised for it.
        assertThat(run.alerts).isEmpty();

        assertThat(
                        CLICKHOUSE.rows(
                                database,
                                "SELECT cart_id, attempt, channel, agent_id, outcome, reached,"
                                        + " responded, objection FROM contact_attempts_latest"))
                .containsExactly(
                        row(
                                "cart_id", "cart-" + fiona,
                                "attempt", "1",
                                "channel", "call",
                                "agent_id", "agent-2",
                                "outcome", "reached_interested",
                                "reached", "1",
                                "responded", "1",
                                "objection", "price"));
        List<Map<String, String>> recoveries =
                CLICKHOUSE.rows(
                        database,
                        "SELECT cart_id, channel, agent_id, contacted, in_holdout, recovered_value,"
                                + " currency FROM recoveries_latest ORDER BY in_holdout");
        assertThat(recoveries).hasSize(2);
        assertThat(recoveries.get(0))
                .containsEntry("cart_id", "cart-" + fiona)
                .containsEntry("channel", "call")
                .containsEntry("agent_id", "agent-2")
                .containsEntry("contacted", "1")
                .containsEntry("in_holdout", "0");
        assertThat(new BigDecimal(recoveries.get(0).get("recovered_value")))
                .isEqualByComparingTo("250.00");
        assertThat(recoveries.get(1))
                .containsEntry("cart_id", "cart-" + gus)
                .containsEntry("channel", null)
                .containsEntry("contacted", "0")
                .containsEntry("in_holdout", "1");
        assertThat(
                        CLICKHOUSE.rows(
                                database,
                                "SELECT cart_id, in_holdout FROM holdout_latest ORDER BY"
                                        + " in_holdout"))
                .containsExactly(
                        row("cart_id", "cart-" + fiona, "in_holdout", "0"),
                        row("cart_id", "cart-" + gus, "in_holdout", "1"));
        assertThat(CLICKHOUSE.rows(database, "SELECT * FROM contact_attempts").toString())
                .doesNotContain("+34612345678");

        // The contact KPI windows: Fiona's call made, reached and answered in the minute of its
        // outcome, by agent-2, her first contact 15 minutes after her last activity; her purchase
        // in its minute credited to agent-2's call with the recovery's value. Gus was held out:
        // the holdout counts him, and his purchase as a natural recovery.
        String currency = recoveries.get(0).get("currency");
        assertThat(currency).isNotEmpty();
        String assignedAt =
                CLICKHOUSE
                        .rows(
                                database,
                                "SELECT toStartOfMinute(max(assigned_at)) AS m FROM holdout_latest")
                        .get(0)
                        .get("m");
        assertThat(
                        CLICKHOUSE.rows(
                                database,
                                "SELECT window_start, channel, agent_id, currency, attempts,"
                                        + " reached, responded, first_contacts,"
                                        + " first_contact_seconds, first_contacts_within_30m,"
                                        + " first_contact_p50_seconds, first_contact_p90_seconds,"
                                        + " recoveries, recovered_value, carts_treated,"
                                        + " carts_held_out, holdout_recoveries,"
                                        + " holdout_recovered_value"
                                        + " FROM contact_kpi_minute_latest ORDER BY window_start"))
                .containsExactlyInAnyOrder(
                        contactKpi(minutes(15), "call", "agent-2", "")
                                .attempts(1, 1, 1)
                                .firstContacts(1, 900, 1, "900", "900")
                                .row(),
                        contactKpi(minutes(60), "call", "agent-2", currency)
                                .recoveries(1, "250.0000")
                                .row(),
                        contactKpi(assignedAt, "", "", "").holdout(1, 1).row(),
                        contactKpi(minutes(90), "", "", currency)
                                .holdoutRecoveries(1, "250.0000")
                                .row());
    }

    /** An expected row of contact_kpi_minute_latest, zero but for what the test sets. */
    private static final class ContactKpi {
        private final Map<String, String> row = new LinkedHashMap<>();

        ContactKpi(String minute, String channel, String agent, String currency) {
            row.put("window_start", minute);
            row.put("channel", channel);
            row.put("agent_id", agent);
            row.put("currency", currency);
            attempts(0, 0, 0);
            firstContacts(0, 0, 0, null, null);
            recoveries(0, "0.0000");
            holdout(0, 0);
            holdoutRecoveries(0, "0.0000");
        }

        ContactKpi attempts(long made, long reached, long responded) {
            row.put("attempts", Long.toString(made));
            row.put("reached", Long.toString(reached));
            row.put("responded", Long.toString(responded));
            return this;
        }

        ContactKpi firstContacts(long count, long seconds, long within, String p50, String p90) {
            row.put("first_contacts", Long.toString(count));
            row.put("first_contact_seconds", Long.toString(seconds));
            row.put("first_contacts_within_30m", Long.toString(within));
            row.put("first_contact_p50_seconds", p50);
            row.put("first_contact_p90_seconds", p90);
            return this;
        }

        ContactKpi recoveries(long count, String value) {
            row.put("recoveries", Long.toString(count));
            row.put("recovered_value", value);
            return this;
        }

        ContactKpi holdout(long treated, long heldOut) {
            row.put("carts_treated", Long.toString(treated));
            row.put("carts_held_out", Long.toString(heldOut));
            return this;
        }

        ContactKpi holdoutRecoveries(long count, String value) {
            row.put("holdout_recoveries", Long.toString(count));
            row.put("holdout_recovered_value", value);
            return this;
        }

        Map<String, String> row() {
            return row;
        }
    }

    private static ContactKpi contactKpi(
            long minuteMillis, String channel, String agent, String currency) {
        return contactKpi(
                DATE_TIME.format(Instant.ofEpochMilli(minuteMillis)), channel, agent, currency);
    }

    private static ContactKpi contactKpi(
            String minute, String channel, String agent, String currency) {
        return new ContactKpi(minute, channel, agent, currency);
    }

    @Test
    void theStreamingJobWritesFactsOnlyWhenClickHouseIsConfigured() {
        assertThat(uids(Map.of()))
                .doesNotContain("facts-tasks", "facts-abandoned", "facts-kpi-minute");
        assertThat(uids(CLICKHOUSE.settings("cart_recovery")))
                .contains(
                        "sink-tasks",
                        "sink-abandoned",
                        "facts-tasks",
                        "facts-abandoned",
                        "facts-kpi-minute",
                        "facts-contact-kpi-minute");
    }

    private static List<String> uids(Map<String, String> settings) {
        Configuration config = Configs.load(null, settings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        StreamingJob.build(env, config);
        return env.getStreamGraph().getStreamNodes().stream()
                .map(StreamNode::getTransformationUID)
                .toList();
    }

    private static AbandonedCart cart(String cartId) {
        return new AbandonedCart(
                cartId,
                "shop-1",
                "cust-1",
                null,
                List.of(new CartLine("p1", "Shoe", 1, new BigDecimal("59.90"))),
                new BigDecimal("59.90"),
                "EUR",
                Stage.CART,
                ReasonHint.UNKNOWN,
                null,
                minutes(0),
                minutes(1),
                600_000,
                System.currentTimeMillis(),
                null);
    }

    private static List<Map<String, String>> abandonedCarts(String database) {
        return CLICKHOUSE.rows(
                database, "SELECT * FROM abandoned_carts_latest ORDER BY store_id, cart_id");
    }

    private static List<Map<String, String>> contactTasks(String database) {
        return CLICKHOUSE.rows(
                database,
                "SELECT * FROM contact_tasks_latest ORDER BY store_id, toString(task_id), type");
    }

    private static List<Map<String, String>> kpiMinutes(String database) {
        return CLICKHOUSE.rows(
                database,
                "SELECT * FROM kpi_minute_latest"
                        + " ORDER BY store_id, window_start, stage, reason, currency");
    }

    /**
     * The KPI windows recomputed from the replay's files: every record counts, each in its minute
     * of event time (a cart by abandoned_at, a create when its gap ran out, a cancel at
     * cancelled_at); a cancel under stage, reason and currency ''. Carts created from the input:
     * the first add to a cart, and the first after its purchase.
     */
    private static List<Map<String, String>> expectedKpiMinutes(ReplayRun run, List<String> lines)
            throws InvalidEventException {
        Map<String, Long> gapSeconds = new HashMap<>();
        Map<String, Map<String, String>> windows = new TreeMap<>();
        for (JsonNode a : run.abandoned) {
            gapSeconds.put(text(a, "cart_id"), a.get("gap_seconds").asLong());
            Map<String, String> window =
                    kpiWindow(
                            windows,
                            text(a, "store_id"),
                            Instant.parse(text(a, "abandoned_at")),
                            text(a, "stage"),
                            text(a, "reason"),
                            text(a, "currency"));
            window.merge("carts_abandoned", "1", ClickHouseFactsTest::addLongs);
            window.merge(
                    "abandoned_value",
                    money(a, "cart_value") == null ? "0.0000" : money(a, "cart_value"),
                    (x, y) -> new BigDecimal(x).add(new BigDecimal(y)).toPlainString());
        }
        for (JsonNode t : run.tasks) {
            boolean create = text(t, "type").equals("create");
            Map<String, String> window =
                    create
                            ? kpiWindow(
                                    windows,
                                    text(t, "store_id"),
                                    Instant.parse(text(t, "abandoned_at"))
                                            .plusSeconds(gapSeconds.get(text(t, "cart_id"))),
                                    text(t, "stage"),
                                    text(t, "reason"),
                                    text(t, "currency"))
                            : kpiWindow(
                                    windows,
                                    text(t, "store_id"),
                                    Instant.parse(text(t, "cancelled_at")),
                                    null,
                                    null,
                                    null);
            window.merge(
                    create ? "tasks_created" : "tasks_cancelled",
                    "1",
                    ClickHouseFactsTest::addLongs);
        }
        Set<String> open = new HashSet<>();
        for (String line : lines) {
            ClickEvent event =
                    ClickEventJson.read(
                            ClickEventJson.readObject(line.getBytes(StandardCharsets.UTF_8)));
            String cart =
                    event.storeId()
                            + "/"
                            + (event.cartId() != null
                                    ? event.cartId()
                                    : event.customerId() != null
                                            ? "customer/" + event.customerId()
                                            : "visitor/" + event.anonymousId());
            if (event.type() == EventType.PURCHASE) {
                open.remove(cart);
            } else if (event.type() == EventType.ADD_TO_CART && open.add(cart)) {
                kpiWindow(
                                windows,
                                event.storeId(),
                                Instant.ofEpochMilli(event.eventTime()),
                                null,
                                null,
                                null)
                        .merge("carts_created", "1", ClickHouseFactsTest::addLongs);
            }
        }
        return List.copyOf(windows.values());
    }

    private static Map<String, String> kpiWindow(
            Map<String, Map<String, String>> windows,
            String storeId,
            Instant at,
            String stage,
            String reason,
            String currency) {
        String minute = DATE_TIME.format(at.truncatedTo(ChronoUnit.MINUTES));
        List<String> key =
                List.of(
                        storeId,
                        minute,
                        stage == null ? "" : stage,
                        reason == null ? "" : reason,
                        currency == null ? "" : currency);
        return windows.computeIfAbsent(
                String.join("\0", key),
                k ->
                        row(
                                "store_id",
                                key.get(0),
                                "window_start",
                                key.get(1),
                                "stage",
                                key.get(2),
                                "reason",
                                key.get(3),
                                "currency",
                                key.get(4),
                                "carts_abandoned",
                                "0",
                                "abandoned_value",
                                "0.0000",
                                "tasks_created",
                                "0",
                                "tasks_cancelled",
                                "0",
                                "carts_created",
                                "0"));
    }

    private static String addLongs(String x, String y) {
        return String.valueOf(Long.parseLong(x) + Long.parseLong(y));
    }

    /** Totals of every rollup grain; each grain must add up to the same. */
    private static Map<String, List<Map<String, String>>> rollups(String database) {
        Map<String, List<Map<String, String>>> rollups = new TreeMap<>();
        for (String grain : List.of("minute", "hour", "day")) {
            rollups.put(
                    "abandoned_carts_per_" + grain,
                    CLICKHOUSE.rows(
                            database,
                            "SELECT store_id, currency, sum(carts) AS carts, sum(cart_value) AS"
                                    + " cart_value, sum(items) AS items FROM abandoned_carts_per_"
                                    + grain
                                    + " GROUP BY store_id, currency ORDER BY store_id"));
            rollups.put(
                    "contact_tasks_per_" + grain,
                    CLICKHOUSE.rows(
                            database,
                            "SELECT type, sum(tasks) AS tasks FROM contact_tasks_per_"
                                    + grain
                                    + " GROUP BY type ORDER BY type"));
        }
        assertThat(rollups.get("abandoned_carts_per_hour"))
                .isEqualTo(rollups.get("abandoned_carts_per_minute"))
                .isEqualTo(rollups.get("abandoned_carts_per_day"));
        assertThat(rollups.get("contact_tasks_per_hour"))
                .isEqualTo(rollups.get("contact_tasks_per_minute"))
                .isEqualTo(rollups.get("contact_tasks_per_day"));
        return rollups;
    }

    /** The last report of each cart in abandoned.jsonl, as ClickHouse prints its row. */
    private static List<Map<String, String>> expectedCarts(ReplayRun run) {
        return latest(run.abandoned, a -> text(a, "store_id") + "/" + text(a, "cart_id")).stream()
                .map(
                        a -> {
                            Map<String, String> row = new LinkedHashMap<>();
                            row.put("store_id", text(a, "store_id"));
                            row.put("cart_id", text(a, "cart_id"));
                            row.put("customer_id", text(a, "customer_id"));
                            row.put("stage", text(a, "stage"));
                            row.put("reason", text(a, "reason"));
                            row.put("cart_value", money(a, "cart_value"));
                            row.put("currency", text(a, "currency"));
                            row.put(
                                    "item_count",
                                    String.valueOf(
                                            StreamSupport.stream(
                                                            a.get("items").spliterator(), false)
                                                    .mapToInt(i -> i.get("quantity").asInt())
                                                    .sum()));
                            row.put("line_count", String.valueOf(a.get("items").size()));
                            row.put("shipping_cost", money(a, "shipping_cost"));
                            row.put("opened_at", time(a, "opened_at"));
                            row.put("abandoned_at", time(a, "abandoned_at"));
                            row.put("detected_at", time(a, "detected_at"));
                            row.put("gap_seconds", text(a, "gap_seconds"));
                            row.put("contactable", a.get("contactable").asBoolean() ? "1" : "0");
                            return row;
                        })
                .sorted(
                        (x, y) ->
                                (x.get("store_id") + "\0" + x.get("cart_id"))
                                        .compareTo(y.get("store_id") + "\0" + y.get("cart_id")))
                .toList();
    }

    /** The last record of each task and type in tasks.jsonl, as ClickHouse prints its row. */
    private static List<Map<String, String>> expectedTasks(ReplayRun run) {
        Map<String, JsonNode> carts =
                latest(run.abandoned, a -> text(a, "cart_id")).stream()
                        .collect(Collectors.toMap(a -> text(a, "cart_id"), a -> a));
        return latest(run.tasks, t -> text(t, "task_id") + "/" + text(t, "type")).stream()
                .map(
                        t -> {
                            boolean create = text(t, "type").equals("create");
                            Map<String, String> row = new LinkedHashMap<>();
                            row.put("store_id", text(t, "store_id"));
                            row.put("task_id", text(t, "task_id"));
                            row.put("type", text(t, "type"));
                            row.put("cart_id", text(t, "cart_id"));
                            row.put("attempt", text(t, "attempt"));
                            row.put("channel", text(t, "channel"));
                            row.put("agent_id", null);
                            row.put("stage", text(t, "stage"));
                            row.put("reason", text(t, "reason"));
                            row.put("cart_value", money(t, "cart_value"));
                            row.put("currency", text(t, "currency"));
                            row.put("abandoned_at", time(t, "abandoned_at"));
                            row.put("detected_at", time(t, "detected_at"));
                            row.put("due_by", time(t, "due_by"));
                            row.put("cancel_reason", text(t, "cancel_reason"));
                            row.put("cancelled_at", time(t, "cancelled_at"));
                            row.put("order_id", text(t, "order_id"));
                            Instant occurred =
                                    create
                                            ? Instant.parse(text(t, "abandoned_at"))
                                                    .plusSeconds(
                                                            carts.get(text(t, "cart_id"))
                                                                    .get("gap_seconds")
                                                                    .asLong())
                                            : Instant.parse(text(t, "cancelled_at"));
                            row.put("occurred_at", DATE_TIME.format(occurred));
                            row.put("emitted_at", time(t, "emitted_at"));
                            return row;
                        })
                .sorted(
                        (x, y) ->
                                (x.get("store_id") + "\0" + x.get("task_id") + "\0" + x.get("type"))
                                        .compareTo(
                                                y.get("store_id")
                                                        + "\0"
                                                        + y.get("task_id")
                                                        + "\0"
                                                        + y.get("type")))
                .toList();
    }

    /** Carts and value per store and currency, added up from abandoned.jsonl. */
    private static List<Map<String, String>> expectedCartTotals(ReplayRun run) {
        Map<String, List<JsonNode>> byStore =
                latest(run.abandoned, a -> text(a, "store_id") + "/" + text(a, "cart_id")).stream()
                        .collect(
                                Collectors.groupingBy(
                                        a -> text(a, "store_id") + "\t" + text(a, "currency"),
                                        TreeMap::new,
                                        Collectors.toList()));
        return byStore.values().stream()
                .map(
                        carts ->
                                row(
                                        "store_id", text(carts.get(0), "store_id"),
                                        "currency", text(carts.get(0), "currency"),
                                        "carts", String.valueOf(carts.size()),
                                        "cart_value",
                                                carts.stream()
                                                        .map(
                                                                a ->
                                                                        new BigDecimal(
                                                                                money(
                                                                                        a,
                                                                                        "cart_value")))
                                                        .reduce(BigDecimal.ZERO, BigDecimal::add)
                                                        .toPlainString(),
                                        "items",
                                                String.valueOf(
                                                        carts.stream()
                                                                .flatMap(
                                                                        a ->
                                                                                StreamSupport
                                                                                        .stream(
                                                                                                a.get(
                                                                                                                "items")
                                                                                                        .spliterator(),
                                                                                                false))
                                                                .mapToInt(
                                                                        i ->
                                                                                i.get("quantity")
                                                                                        .asInt())
                                                                .sum())))
                .toList();
    }

    /** The last node of each key, in file order (one cart's records come in the order written). */
    private static List<JsonNode> latest(List<JsonNode> nodes, Function<JsonNode, String> key) {
        Map<String, JsonNode> last = new LinkedHashMap<>();
        for (JsonNode node : nodes) {
            last.put(key.apply(node), node);
        }
        return List.copyOf(last.values());
    }

    private static List<Map<String, String>> withoutWallClock(List<Map<String, String>> rows) {
        return without(rows, WALL_CLOCK.toArray(String[]::new));
    }

    private static List<Map<String, String>> without(
            List<Map<String, String>> rows, String... columns) {
        return rows.stream()
                .map(
                        row -> {
                            Map<String, String> copy = new LinkedHashMap<>(row);
                            List.of(columns).forEach(copy::remove);
                            return copy;
                        })
                .toList();
    }

    private static Map<String, String> row(String... keysAndValues) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            row.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return row;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String money(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull()
                ? null
                : value.decimalValue().setScale(4, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String time(JsonNode node, String field) {
        String value = text(node, field);
        return value == null ? null : DATE_TIME.format(Instant.parse(value));
    }

    private static String hmac(String key, String id) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(id.getBytes(StandardCharsets.UTF_8)), 0, 16);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

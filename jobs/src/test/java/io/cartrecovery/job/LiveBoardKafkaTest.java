package io.cartrecovery.job;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.Events.minutes;
import static io.cartrecovery.testing.Events.purchase;
import static io.cartrecovery.testing.ReplayRun.clockAt;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.clickhouse.ClickHouseHttp;
import io.cartrecovery.clickhouse.Migrations;
import io.cartrecovery.clickhouse.SchemaMigrator;
import io.cartrecovery.config.Configs;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.report.GrafanaBoards;
import io.cartrecovery.testing.Boards;
import io.cartrecovery.testing.ClickHouseServer;
import io.cartrecovery.testing.Events;
import io.cartrecovery.testing.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Live Recovery Board end to end: the streaming job on a real Kafka broker, fed clickstream,
 * profiles and the dialer's contact outcomes by the test, writes its facts into a real ClickHouse;
 * each of the board's eight headline stats, run as Grafana's ClickHouse plugin would run it, equals
 * the test's own recomputation from those inputs. The same topics read again from the start (a
 * restart without state, replaying the window) move no number.
 */
class LiveBoardKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String STORE = "shop-1";
    private static final double HOLDOUT_SHARE = 0.5;
    private static final double GAP_MINUTES = Events.GAP.toMinutes();
    private static final double END_MINUTE = 200;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @RegisterExtension static final ClickHouseServer CLICKHOUSE = new ClickHouseServer();

    private static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaBroker.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
    }

    /** What the dialer reports for a cart's first call: a code, minutes after abandonment. */
    private record Call(String outcome, double minutesAfter) {}

    /**
     * A customer's cart: adds at a minute, the price, the dialer's answer to the first call (or
     * none), and a purchase minutes after abandonment (or none), with its own lines or the cart's.
     */
    private record Shopper(
            String customer,
            double addedAt,
            String price,
            Call call,
            Double boughtAfter,
            String purchasePrice) {
        String cartId() {
            return "cart-" + customer;
        }

        double abandonedAt() {
            return addedAt;
        }

        /** A purchase before the gap ran out: the cart was never abandoned. */
        boolean abandoned() {
            return boughtAfter == null || boughtAfter >= GAP_MINUTES;
        }

        /**
         * This test's holdout rule, written from docs/followup.md: a name-based (MD5) UUID of
         * "holdout", store and cart, its high bits mod 10000 below share x 10000.
         */
        boolean heldOut() {
            String name = "holdout\n" + STORE + '\n' + cartId();
            long bits =
                    UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8))
                            .getMostSignificantBits();
            return Math.floorMod(bits, 10_000L) < Math.round(HOLDOUT_SHARE * 10_000);
        }

        /** A held-out cart gets no call, so the dialer answers none. */
        Call callMade() {
            return heldOut() ? null : call;
        }

        boolean recovered() {
            return abandoned() && boughtAfter != null;
        }

        BigDecimal recoveredValue() {
            return new BigDecimal(purchasePrice != null ? purchasePrice : price)
                    .setScale(4, RoundingMode.UNNECESSARY);
        }

        /** Seconds from the last activity to the first contact made, or null. */
        Long secondsToFirstContact() {
            Call made = callMade();
            return made == null ? null : Math.round(made.minutesAfter * 60);
        }
    }

    private static List<Shopper> scenario() {
        String[] outcomes = {"reached_interested", "no_answer", "voicemail", null};
        double[] callAfter = {14, 22.5, 41, 0};
        List<Shopper> shoppers = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            int kind = i % 4;
            Call call = outcomes[kind] == null ? null : new Call(outcomes[kind], callAfter[kind]);
            Double boughtAfter =
                    switch (i % 3) {
                        case 0 -> 60.0 + i;
                        case 1 -> i == 1 ? 3.0 : null;
                        default -> null;
                    };
            String purchasePrice = i == 6 ? "180.10" : null;
            shoppers.add(
                    new Shopper(
                            "b" + i, i * 0.5, (250 + i) + ".25", call, boughtAfter, purchasePrice));
        }
        return shoppers;
    }

    private static String profile(String customer) {
        return "{\"store_id\":\""
                + STORE
                + "\",\"customer_id\":\""
                + customer
                + "\",\"order_count\":6,\"lifetime_value\":\"1500.00\","
                + "\"phone\":\"+34612345678\",\"email\":\"ana@example.com\","
                + "\"consent\":{\"call\":{\"granted\":true},\"whatsapp\":{\"granted\":true},"
                + "\"email\":{\"granted\":true}}}";
    }

    private static String outcome(JsonNode task, Call call, double abandonedAt) {
        return "{\"task_id\":\""
                + task.get("task_id").asText()
                + "\",\"store_id\":\""
                + STORE
                + "\",\"cart_id\":\""
                + task.get("cart_id").asText()
                + "\",\"attempt\":1,\"channel\":\""
                + task.get("channel").asText()
                + "\",\"outcome\":\""
                + call.outcome
                + "\",\"time\":\""
                + Instant.ofEpochMilli(minutes(abandonedAt + call.minutesAfter))
                + "\"}";
    }

    private static List<byte[]> bytes(List<String> lines) {
        return lines.stream().map(l -> l.getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static JsonNode json(byte[] value) {
        try {
            return ClickEventJson.MAPPER.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> topics(String prefix) throws Exception {
        Map<String, String> topics = new HashMap<>();
        for (String topic :
                List.of(
                        "clickstream",
                        "contact-tasks",
                        "abandoned-carts",
                        "dead-letter",
                        "customer-profiles",
                        "contact-outcomes",
                        "task-events",
                        "agents",
                        "alerts")) {
            String name = prefix + "-" + topic;
            kafka.createTopic(name, 1);
            topics.put("topic." + topic, name);
        }
        return topics;
    }

    private static JobClient start(Map<String, String> topics, String database, String group)
            throws Exception {
        Map<String, String> settings = new HashMap<>(topics);
        settings.putAll(CLICKHOUSE.settings(database));
        settings.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        settings.put("kafka.group-id", group);
        settings.put("delivery.guarantee", "AT_LEAST_ONCE");
        settings.put("delivery.checkpoint-interval", "500ms");
        settings.put("delivery.transactional-id-prefix", group);
        settings.put("ingest.out-of-orderness", "1s");
        // Time moves here with one "clock" visitor's events, a single cart jumping minutes ahead:
        // the bad-clock defence would rightly hold it (docs/time.md).
        settings.put("ingest.max-event-time-step", "3650d");
        settings.put("ingest.idle-timeout", "1s");
        settings.put("ingest.max-future-skew", "3650d");
        settings.put("followup.holdout-share", String.valueOf(HOLDOUT_SHARE));
        settings.put("clickhouse.flush-interval", "200ms");
        // The dialer answers after the clickstream has moved on by up to 40 minutes of event time,
        // and the first batch of clickstream comes after an idle spell: the KPI minutes take both
        // with their defaults (no window to hold open).
        Configuration config = Configs.load(null, settings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        return StreamingJob.start(env, config);
    }

    /** The board's range: from an hour before the first cart to well after the last purchase. */
    private static final GrafanaBoards.Range RANGE =
            new GrafanaBoards.Range(minutes(-60) / 1000, minutes(END_MINUTE + 60) / 1000, 60);

    /** The eight headline stats as the board shows them, for the store. */
    private static Map<String, String> board(String database) throws IOException {
        Map<String, String> stats = new LinkedHashMap<>();
        for (String title : Boards.LIVE_STATS) {
            stats.put(
                    title,
                    Boards.stat(CLICKHOUSE, database, title, "'" + STORE + "'", RANGE).toString());
        }
        return stats;
    }

    /** The same stats recomputed from the scenario, in the rows the board's queries return. */
    private static Map<String, String> expected(List<Shopper> shoppers) {
        List<Shopper> abandoned = shoppers.stream().filter(Shopper::abandoned).toList();
        List<Shopper> contactedAsUsual = abandoned.stream().filter(s -> !s.heldOut()).toList();
        List<Shopper> heldOut = abandoned.stream().filter(Shopper::heldOut).toList();
        Map<String, BigDecimal> value = new TreeMap<>();
        abandoned.forEach(
                s ->
                        value.merge(
                                "EUR",
                                new BigDecimal(s.price).setScale(4, RoundingMode.UNNECESSARY),
                                BigDecimal::add));
        long recovered = contactedAsUsual.stream().filter(Shopper::recovered).count();
        BigDecimal revenue =
                contactedAsUsual.stream()
                        .filter(Shopper::recovered)
                        .map(Shopper::recoveredValue)
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
        long within =
                contactedAsUsual.stream()
                        .map(Shopper::secondsToFirstContact)
                        .filter(s -> s != null && s <= 1800)
                        .count();
        List<Long> toFirstContact =
                abandoned.stream()
                        .map(Shopper::secondsToFirstContact)
                        .filter(s -> s != null)
                        .sorted()
                        .toList();
        // An odd count: the median is the middle value, whatever the convention for even counts.
        assertThat(toFirstContact.size() % 2).isOne();
        long median = toFirstContact.get(toFirstContact.size() / 2);
        double usualRate = (double) recovered / contactedAsUsual.size();
        double heldOutRate =
                (double) heldOut.stream().filter(Shopper::recovered).count() / heldOut.size();

        Map<String, String> stats = new LinkedHashMap<>();
        stats.put("Abandoned carts", "[{\"carts\":\"" + abandoned.size() + "\"}]");
        // Every shopper has a profile consenting to calls: every abandoned cart is contactable.
        stats.put("Contactable carts", "[{\"carts\":\"" + abandoned.size() + "\"}]");
        stats.put("Abandoned value", "[{\"currency\":\"EUR\",\"value\":" + value.get("EUR") + "}]");
        stats.put("Recovered carts", "[{\"carts\":\"" + recovered + "\"}]");
        stats.put("Recovered revenue", "[{\"currency\":\"EUR\",\"revenue\":" + revenue + "}]");
        stats.put("Recovery rate", "[{\"rate\":" + usualRate + "}]");
        stats.put(
                "Contacted within 30 min",
                "[{\"share\":" + ((double) within / contactedAsUsual.size()) + "}]");
        stats.put("Median time to first contact", "[{\"seconds\":" + median + "}]");
        stats.put("Incremental lift vs holdout", "[{\"lift\":" + (usualRate - heldOutRate) + "}]");
        return stats;
    }

    /**
     * The contact KPI minutes (io.cartrecovery.kpi.Kpis) of the store, summed over every minute,
     * channel and agent.
     */
    private static final String WINDOW_TOTALS =
            "SELECT sum(attempts) AS attempts, sum(first_contacts) AS first_contacts,"
                    + " sum(first_contact_seconds) AS first_contact_seconds,"
                    + " sum(first_contacts_within_30m) AS within_30m,"
                    + " sum(carts_treated) AS treated, sum(carts_held_out) AS held_out,"
                    + " sum(recoveries) AS recoveries, sum(recovered_value) AS recovered_value,"
                    + " sum(holdout_recoveries) AS holdout_recoveries"
                    + " FROM contact_kpi_minute_latest WHERE store_id = '"
                    + STORE
                    + "'";

    /** The same totals recomputed from the scenario. */
    private static Map<String, String> expectedWindowTotals(List<Shopper> shoppers) {
        List<Shopper> abandoned = shoppers.stream().filter(Shopper::abandoned).toList();
        List<Shopper> treated = abandoned.stream().filter(s -> !s.heldOut()).toList();
        List<Long> seconds =
                treated.stream()
                        .map(Shopper::secondsToFirstContact)
                        .filter(s -> s != null)
                        .toList();
        Map<String, String> totals = new LinkedHashMap<>();
        // One call per contacted cart: each attempt made is its cart's first contact.
        totals.put("attempts", Integer.toString(seconds.size()));
        totals.put("first_contacts", Integer.toString(seconds.size()));
        totals.put(
                "first_contact_seconds",
                Long.toString(seconds.stream().mapToLong(Long::longValue).sum()));
        totals.put("within_30m", Long.toString(seconds.stream().filter(s -> s <= 1800).count()));
        totals.put("treated", Integer.toString(treated.size()));
        totals.put("held_out", Integer.toString(abandoned.size() - treated.size()));
        totals.put(
                "recoveries", Long.toString(treated.stream().filter(Shopper::recovered).count()));
        totals.put(
                "recovered_value",
                treated.stream()
                        .filter(Shopper::recovered)
                        .map(Shopper::recoveredValue)
                        .reduce(BigDecimal.ZERO.setScale(4), BigDecimal::add)
                        .toPlainString());
        totals.put(
                "holdout_recoveries",
                Long.toString(
                        abandoned.stream().filter(s -> s.heldOut() && s.recovered()).count()));
        return totals;
    }

    /**
     * The carts created and abandoned and the first attempts' tasks in the cart KPI windows
     * (io.cartrecovery.kpi.Kpis) of the store, summed over every minute and dimension.
     */
    private static final String CART_WINDOW_TOTALS =
            "SELECT sum(carts_created) AS created, sum(carts_abandoned) AS abandoned,"
                    + " sum(tasks_created) AS tasks_created"
                    + " FROM kpi_minute_latest WHERE store_id = '"
                    + STORE
                    + "'";

    /**
     * The same totals from the scenario: every shopper opens one cart. A row the windows left out
     * would be missing here.
     */
    private static Map<String, String> expectedCartWindowTotals(List<Shopper> shoppers) {
        Map<String, String> totals = new LinkedHashMap<>();
        totals.put("created", Integer.toString(shoppers.size()));
        totals.put(
                "abandoned", Long.toString(shoppers.stream().filter(Shopper::abandoned).count()));
        // A task for every abandoned cart but the held-out ones.
        totals.put(
                "tasks_created",
                Long.toString(
                        shoppers.stream().filter(x -> x.abandoned() && !x.heldOut()).count()));
        return totals;
    }

    private static Map<String, String> awaitWindows(String database, Map<String, String> expected)
            throws Exception {
        return await(database, WINDOW_TOTALS, expected);
    }

    private static Map<String, String> awaitCartWindows(
            String database, Map<String, String> expected) throws Exception {
        return await(database, CART_WINDOW_TOTALS, expected);
    }

    private static Map<String, String> await(
            String database, String sql, Map<String, String> expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, String> totals = CLICKHOUSE.rows(database, sql).get(0);
        while (!totals.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            totals = CLICKHOUSE.rows(database, sql).get(0);
        }
        return totals;
    }

    private static Map<String, String> awaitBoard(String database, Map<String, String> expected)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, String> stats = board(database);
        while (!numbersEqual(stats, expected) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            stats = board(database);
        }
        return stats;
    }

    /** Rows compared as numbers: ClickHouse prints 0.5 as 0.5 and Java may print 0.50. */
    private static boolean numbersEqual(Map<String, String> actual, Map<String, String> expected) {
        return normalized(actual).equals(normalized(expected));
    }

    private static Map<String, String> normalized(Map<String, String> stats) {
        Map<String, String> out = new LinkedHashMap<>();
        stats.forEach(
                (title, rows) -> {
                    JsonNode node = json(rows.getBytes(StandardCharsets.UTF_8));
                    StringBuilder b = new StringBuilder();
                    for (JsonNode row : node) {
                        row.properties()
                                .forEach(
                                        f -> {
                                            String v = f.getValue().asText();
                                            try {
                                                BigDecimal d = new BigDecimal(v);
                                                // Rates are doubles on both sides: 12 places.
                                                v =
                                                        d.setScale(12, RoundingMode.HALF_EVEN)
                                                                .stripTrailingZeros()
                                                                .toPlainString();
                                            } catch (NumberFormatException e) {
                                                // not a number: compared as it is
                                            }
                                            b.append(f.getKey()).append('=').append(v).append(' ');
                                        });
                        b.append('|');
                    }
                    out.put(title, b.toString());
                });
        return out;
    }

    @Test
    void theHeadlineNumbersEqualTheInputAndARestartMovesNone() throws Exception {
        List<Shopper> shoppers = scenario();
        Map<String, String> expected = expected(shoppers);
        Map<String, String> expectedWindows = expectedWindowTotals(shoppers);
        Map<String, String> expectedCartWindows = expectedCartWindowTotals(shoppers);
        String database = CLICKHOUSE.newDatabase();
        new SchemaMigrator(new ClickHouseHttp(CLICKHOUSE.clickHouseSettings(database)), database)
                .apply(Migrations.bundled());
        Map<String, String> topics = topics("board");

        List<String> profiles = shoppers.stream().map(s -> profile(s.customer)).toList();
        TreeMap<Double, List<String>> early = new TreeMap<>();
        TreeMap<Double, List<String>> late = new TreeMap<>();
        for (Shopper s : shoppers) {
            early.computeIfAbsent(s.addedAt, m -> new ArrayList<>())
                    .add(
                            add("p-" + s.customer, 1, s.price)
                                    .customer(s.customer)
                                    .cart(s.cartId())
                                    .atMinute(s.addedAt)
                                    .json());
            if (s.boughtAfter != null) {
                double at = s.addedAt + s.boughtAfter;
                Events.Builder order = purchase().customer(s.customer).cart(s.cartId());
                if (s.purchasePrice != null) {
                    order.item("p-" + s.customer, 1, s.purchasePrice);
                }
                (at < GAP_MINUTES + 15 ? early : late)
                        .computeIfAbsent(at, m -> new ArrayList<>())
                        .add(order.atMinute(at).json());
            }
        }
        List<String> first = new ArrayList<>();
        early.values().forEach(first::addAll);
        first.add(clockAt(GAP_MINUTES + 15));
        List<String> second = new ArrayList<>();
        late.values().forEach(second::addAll);
        second.add(clockAt(END_MINUTE));

        JobClient job = start(topics, database, "board-1");
        try {
            kafka.send(topics.get("topic.customer-profiles"), 0, bytes(profiles));
            // Profiles first: the carts must be decided with them (no profile wait here).
            Thread.sleep(2_000);
            kafka.send(topics.get("topic.clickstream"), 0, bytes(first));

            // The dialer answers the first calls it was given, by the test's plan.
            long calls = shoppers.stream().filter(s -> s.abandoned() && !s.heldOut()).count();
            List<JsonNode> tasks =
                    kafka
                            .readUntil(
                                    topics.get("topic.contact-tasks"),
                                    r ->
                                            r.stream()
                                                            .map(x -> json(x.value()))
                                                            .filter(
                                                                    t ->
                                                                            t.get("type")
                                                                                    .asText()
                                                                                    .equals(
                                                                                            "create"))
                                                            .count()
                                                    >= calls,
                                    WAIT)
                            .stream()
                            .map(r -> json(r.value()))
                            .filter(t -> t.get("type").asText().equals("create"))
                            .toList();
            Map<String, Shopper> byCart = new HashMap<>();
            shoppers.forEach(s -> byCart.put(s.cartId(), s));
            assertThat(tasks)
                    .extracting(t -> t.get("cart_id").asText())
                    .containsExactlyInAnyOrderElementsOf(
                            shoppers.stream()
                                    .filter(s -> s.abandoned() && !s.heldOut())
                                    .map(Shopper::cartId)
                                    .toList());
            List<String> outcomes = new ArrayList<>();
            for (JsonNode task : tasks) {
                Shopper s = byCart.get(task.get("cart_id").asText());
                if (s.call != null) {
                    outcomes.add(outcome(task, s.call, s.abandonedAt()));
                }
            }
            kafka.send(topics.get("topic.contact-outcomes"), 0, bytes(outcomes));
            Thread.sleep(1_000);
            kafka.send(topics.get("topic.clickstream"), 0, bytes(second));

            Map<String, String> shown = awaitBoard(database, expected);
            assertThat(normalized(shown)).isEqualTo(normalized(expected));
            // The Flink KPI windows agree with the same recomputation, none of their rows left
            // out: sources waking up from idleness used to let the watermark overtake carts.
            assertThat(awaitCartWindows(database, expectedCartWindows))
                    .isEqualTo(expectedCartWindows);
            assertThat(awaitWindows(database, expectedWindows)).isEqualTo(expectedWindows);
        } finally {
            job.cancel().get();
        }

        // A restart without state: the same topics read again from the start write every fact
        // again (newer versions); once the last recovery is rewritten, nothing has moved.
        Map<String, String> before = board(database);
        long restartedAt = System.currentTimeMillis() * 1000;
        JobClient again = start(topics, database, "board-2");
        try {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline && !rewritten(database, restartedAt)) {
                Thread.sleep(500);
            }
            assertThat(rewritten(database, restartedAt)).as("every fact written again").isTrue();
            Map<String, String> after = awaitBoard(database, expected);
            assertThat(after).isEqualTo(before);
            assertThat(normalized(after)).isEqualTo(normalized(expected));
            assertThat(awaitCartWindows(database, expectedCartWindows))
                    .isEqualTo(expectedCartWindows);
            assertThat(awaitWindows(database, expectedWindows)).isEqualTo(expectedWindows);
        } finally {
            again.cancel().get();
        }
    }

    /**
     * Every recovery, holdout row, attempt made and KPI window has a version written after {@code
     * micros}.
     */
    private static boolean rewritten(String database, long micros) {
        for (String sql :
                List.of(
                        "SELECT countIf(row_version < %d) AS old FROM recoveries_latest",
                        "SELECT countIf(row_version < %d) AS old FROM holdout_latest",
                        "SELECT countIf(row_version < %d) AS old FROM abandoned_carts_latest",
                        "SELECT countIf(row_version < %d OR attempted_at IS NULL) AS old"
                                + " FROM contact_attempts_latest WHERE outcome != 'pending'",
                        // Every minute is written again in the second run, its rows coming
                        // again: the minute checks then read the rewritten rows.
                        "SELECT countIf(row_version < %d) AS old FROM kpi_minute_latest",
                        "SELECT countIf(row_version < %d) AS old FROM contact_kpi_minute_latest")) {
            List<JsonNode> rows = Boards.query(CLICKHOUSE, database, sql.formatted(micros));
            if (rows.get(0).get("old").asLong() != 0) {
                return false;
            }
        }
        return true;
    }
}

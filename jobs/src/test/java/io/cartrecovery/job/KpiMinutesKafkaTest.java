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
import io.cartrecovery.config.StateDefaults;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.testing.ClickHouseServer;
import io.cartrecovery.testing.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The KPI minutes against what arrives late, end to end: the streaming job on a real Kafka broker
 * (its own MiniCluster), writing into a real ClickHouse. A dialer outcome reported long after the
 * clickstream moved on, and a cart of a partition that was idle, correct their minutes (the event
 * time windows this replaced dropped both: they stayed open 10 minutes past a watermark held back
 * by the gap). And after a restart from a retained checkpoint, with late outcomes before and after
 * it, every minute's totals equal a recomputation from the fact tables.
 */
class KpiMinutesKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String STORE = "shop-1";

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

    @Test
    void aLateDialerOutcomeAndACartAfterAnIdleSpellCorrectTheirMinutes() throws Exception {
        String database = database();
        Map<String, String> topics = topics("late");
        JobClient job = start(Configs.load(null, settings(topics, database, "late")));
        try {
            kafka.send(topics.get("topic.customer-profiles"), 0, bytes(profiles("early")));
            Thread.sleep(2_000);
            // Partition 1 of the clickstream stays quiet (idle after ingest.idle-timeout).
            sendClicks(
                    topics,
                    0,
                    add("p-early", 1, "40.00")
                            .customer("early")
                            .cart("cart-early")
                            .atMinute(0)
                            .json(),
                    clockAt(30));
            JsonNode task = awaitCreate(topics, "cart-early");

            // Two hours of event time later: the cart of minute 100 is reported once the job's
            // watermark is past its gap, so past minute 110.
            sendClicks(
                    topics,
                    0,
                    add("p-marker", 1, "5.00")
                            .visitor("marker")
                            .cart("cart-marker")
                            .atMinute(100)
                            .json(),
                    clockAt(125));
            kafka.readUntil(
                    topics.get("topic.abandoned-carts"),
                    r ->
                            r.stream()
                                    .anyMatch(
                                            x ->
                                                    json(x.value())
                                                            .get("cart_id")
                                                            .asText()
                                                            .equals("cart-marker")),
                    WAIT);

            // The dialer reports the call of minute 15 now, 95 minutes behind the watermark.
            kafka.send(
                    topics.get("topic.contact-outcomes"),
                    0,
                    bytes(List.of(outcome(task, "reached_interested", 15))));
            // The quiet partition wakes up with a cart of minute 40, 70 minutes behind.
            sendClicks(
                    topics,
                    1,
                    add("p-idle", 1, "12.50")
                            .visitor("idle")
                            .cart("cart-idle")
                            .atMinute(40)
                            .json());

            Map<String, String> contacts =
                    Map.of("attempts", "1", "first_contacts", "1", "reached", "1");
            assertThat(
                            await(
                                    database,
                                    "SELECT toString(sum(attempts)) AS attempts,"
                                            + " toString(sum(first_contacts)) AS first_contacts,"
                                            + " toString(sum(reached)) AS reached"
                                            + " FROM contact_kpi_minute FINAL"
                                            + " WHERE window_start = toDateTime("
                                            + seconds(15)
                                            + ")",
                                    List.of(contacts)))
                    .containsExactly(contacts);
            Map<String, String> carts =
                    Map.of("created", "1", "abandoned", "1", "value", "12.5000");
            assertThat(
                            await(
                                    database,
                                    "SELECT toString(sum(carts_created)) AS created,"
                                            + " toString(sum(carts_abandoned)) AS abandoned,"
                                            + " toString(sum(abandoned_value)) AS value"
                                            + " FROM kpi_minute FINAL"
                                            + " WHERE window_start = toDateTime("
                                            + seconds(40)
                                            + ")",
                                    List.of(carts)))
                    .containsExactly(carts);
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void afterARestartFromACheckpointEveryMinuteEqualsTheFacts() throws Exception {
        // Not a @TempDir: Flink may still be deleting old checkpoints when the job is cancelled,
        // and a file gone while the directory is walked is no failure of the test.
        Path dir = Files.createTempDirectory("kpi-minutes");
        try {
            restartFromACheckpoint(dir);
        } finally {
            FileUtils.deleteDirectoryQuietly(dir.toFile());
        }
    }

    private static void restartFromACheckpoint(Path dir) throws Exception {
        String database = database();
        Map<String, String> topics = topics("restart");
        Map<String, String> settings = settings(topics, database, "restart");
        // Half the carts held out (s0, s3, s5 and s7 by the hash rule): natural recoveries too.
        // s2, s4, s6 and s8 get tasks.
        settings.put("followup.holdout-share", "0.5");
        Configuration config =
                StateDefaults.forLocalRun(
                        StateDefaults.forAnyRun(Configs.load(null, settings)),
                        dir.resolve("checkpoints"));
        List<String> shoppers = List.of("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8");

        JobClient first = start(config);
        Map<String, JsonNode> tasks = new HashMap<>();
        try {
            kafka.send(
                    topics.get("topic.customer-profiles"),
                    0,
                    bytes(profiles(shoppers.toArray(String[]::new))));
            Thread.sleep(2_000);
            List<String> clicks = new ArrayList<>();
            for (int i = 0; i < shoppers.size(); i++) {
                String s = shoppers.get(i);
                clicks.add(
                        add("p-" + s, 1, (20 + i) + ".25")
                                .customer(s)
                                .cart("cart-" + s)
                                .atMinute(i * 0.5)
                                .json());
            }
            // s1 buys before its gap runs out: a created cart, never abandoned.
            clicks.add(purchase().customer("s1").cart("cart-s1").atMinute(3).json());
            clicks.add(clockAt(30));
            sendClicks(topics, 0, clicks.toArray(String[]::new));
            // Every abandoned cart (all but s1's) is in the holdout or contacted; the contacted
            // ones get a first task.
            await(
                    database,
                    "SELECT toString(count()) AS n FROM holdout_latest",
                    List.of(Map.of("n", String.valueOf(shoppers.size() - 1))));
            long treated =
                    Long.parseLong(
                            CLICKHOUSE
                                    .rows(
                                            database,
                                            "SELECT toString(countIf(in_holdout = 0)) AS n"
                                                    + " FROM holdout_latest")
                                    .get(0)
                                    .get("n"));
            kafka
                    .readUntil(
                            topics.get("topic.contact-tasks"),
                            r -> firstCreates(r).size() >= treated,
                            WAIT)
                    .stream()
                    .map(x -> json(x.value()))
                    .filter(t -> isFirstCreate(t))
                    .forEach(t -> tasks.put(t.get("cart_id").asText().substring(5), t));
            assertThat(tasks).hasSize((int) treated);
            // Outcomes on time for the first carts, a purchase after a call.
            kafka.send(
                    topics.get("topic.contact-outcomes"),
                    0,
                    bytes(outcomes(tasks, List.of("s0", "s2", "s3"), 22)));
            sendClicks(
                    topics,
                    0,
                    purchase().customer("s0").cart("cart-s0").atMinute(40).json(),
                    clockAt(60));
            await(
                    database,
                    "SELECT toString(count()) AS n FROM contact_attempts_latest"
                            + " WHERE attempted_at IS NOT NULL",
                    List.of(
                            Map.of(
                                    "n",
                                    String.valueOf(countOf(tasks, List.of("s0", "s2", "s3"))))));
            Thread.sleep(2_000);
            // More in flight when the job goes: late outcomes, the clock moving on.
            kafka.send(
                    topics.get("topic.contact-outcomes"),
                    0,
                    bytes(outcomes(tasks, List.of("s4", "s5"), 25)));
            sendClicks(topics, 0, clockAt(90));
            Thread.sleep(300);
        } finally {
            first.cancel().get();
        }

        Optional<Path> retained = StateDefaults.resumeFromLatest(config);
        assertThat(retained).as("a retained checkpoint").isPresent();
        JobClient second = start(config);
        try {
            // Long after: an outcome of minute 26, s8 buying with its task open (a cancel, a
            // recovery without contact), s4 buying after its message was read, the clock at 200.
            kafka.send(
                    topics.get("topic.contact-outcomes"),
                    0,
                    bytes(outcomes(tasks, List.of("s6"), 26)));
            sendClicks(
                    topics,
                    0,
                    purchase().customer("s8").cart("cart-s8").atMinute(100).json(),
                    purchase().customer("s4").cart("cart-s4").atMinute(150).json(),
                    clockAt(200));

            // Every fact of the scenario is in: three attempts made, three recoveries (s0's
            // natural), s8's cancel.
            await(
                    database,
                    "SELECT toString((SELECT count() FROM contact_attempts_latest"
                            + " WHERE attempted_at IS NOT NULL)) AS attempts,"
                            + " toString((SELECT count() FROM recoveries_latest)) AS recoveries,"
                            + " toString((SELECT count() FROM contact_tasks_latest"
                            + " WHERE type = 'cancel')) AS cancels",
                    List.of(Map.of("attempts", "3", "recoveries", "3", "cancels", "1")));
            Map<String, List<Map<String, String>>> facts = awaitEqual(database);
            for (Map.Entry<String, String[]> check : CHECKS.entrySet()) {
                assertThat(CLICKHOUSE.rows(database, check.getValue()[1]))
                        .as(check.getKey())
                        .isEqualTo(facts.get(check.getKey()));
            }
            assertThat(facts.get("attempts")).as("attempts in the facts").hasSize(3);
            assertThat(facts.get("recoveries")).as("recoveries in the facts").hasSize(2);
            assertThat(facts.get("cancels")).as("cancels in the facts").hasSize(1);
            assertThat(
                            CLICKHOUSE.rows(
                                    database,
                                    "SELECT toString(sum(carts_created)) AS created FROM kpi_minute FINAL"))
                    .as("every shopper opened one cart")
                    .containsExactly(Map.of("created", String.valueOf(shoppers.size())));
        } finally {
            second.cancel().get();
        }
    }

    /**
     * Each KPI minute measure and its recomputation from the facts' latest views, per minute (and
     * the dimensions both have): the facts' query first, the KPI table's second.
     */
    private static final Map<String, String[]> CHECKS = new LinkedHashMap<>();

    static {
        CHECKS.put(
                "abandoned carts",
                new String[] {
                    "SELECT store_id, toStartOfMinute(abandoned_at) AS minute, stage, reason,"
                            + " ifNull(currency, '') AS cur, toString(count()) AS carts,"
                            + " toString(sum(cart_value)) AS value FROM abandoned_carts_latest"
                            + " GROUP BY store_id, minute, stage, reason, cur"
                            + " ORDER BY store_id, minute, stage, reason, cur",
                    "SELECT store_id, window_start AS minute, stage, reason, currency AS cur,"
                            + " toString(sum(carts_abandoned)) AS carts,"
                            + " toString(sum(abandoned_value)) AS value FROM kpi_minute FINAL"
                            + " WHERE carts_abandoned > 0"
                            + " GROUP BY store_id, minute, stage, reason, cur"
                            + " ORDER BY store_id, minute, stage, reason, cur"
                });
        CHECKS.put(
                "first tasks",
                new String[] {
                    "SELECT store_id, toStartOfMinute(occurred_at) AS minute,"
                            + " toString(count()) AS n FROM contact_tasks_latest"
                            + " WHERE type = 'create' AND attempt = 1"
                            + " GROUP BY store_id, minute ORDER BY store_id, minute",
                    "SELECT store_id, window_start AS minute, toString(sum(tasks_created)) AS n"
                            + " FROM kpi_minute FINAL WHERE tasks_created > 0"
                            + " GROUP BY store_id, minute ORDER BY store_id, minute"
                });
        CHECKS.put(
                "cancels",
                new String[] {
                    "SELECT store_id, toStartOfMinute(occurred_at) AS minute,"
                            + " toString(count()) AS n FROM contact_tasks_latest"
                            + " WHERE type = 'cancel' AND cancel_reason IN ('purchased', 'emptied')"
                            + " GROUP BY store_id, minute ORDER BY store_id, minute",
                    "SELECT store_id, window_start AS minute, toString(sum(tasks_cancelled)) AS n"
                            + " FROM kpi_minute FINAL WHERE tasks_cancelled > 0"
                            + " GROUP BY store_id, minute ORDER BY store_id, minute"
                });
        CHECKS.put(
                "attempts",
                new String[] {
                    "SELECT store_id, toStartOfMinute(assumeNotNull(attempted_at)) AS minute,"
                            + " channel AS ch, ifNull(agent_id, '') AS agent,"
                            + " toString(count()) AS n FROM contact_attempts_latest"
                            + " WHERE attempted_at IS NOT NULL"
                            + " GROUP BY store_id, minute, ch, agent"
                            + " ORDER BY store_id, minute, ch, agent",
                    "SELECT store_id, window_start AS minute, channel AS ch, agent_id AS agent,"
                            + " toString(sum(attempts)) AS n FROM contact_kpi_minute FINAL"
                            + " WHERE attempts > 0 GROUP BY store_id, minute, ch, agent"
                            + " ORDER BY store_id, minute, ch, agent"
                });
        CHECKS.put(
                "recoveries",
                new String[] {
                    "SELECT store_id, toStartOfMinute(recovered_at) AS minute,"
                            + " toString(count()) AS n, toString(sum(recovered_value)) AS value"
                            + " FROM recoveries_latest WHERE in_holdout = 0"
                            + " GROUP BY store_id, minute ORDER BY store_id, minute",
                    "SELECT store_id, window_start AS minute, toString(sum(recoveries)) AS n,"
                            + " toString(sum(recovered_value)) AS value FROM contact_kpi_minute FINAL"
                            + " WHERE recoveries > 0 GROUP BY store_id, minute"
                            + " ORDER BY store_id, minute"
                });
        CHECKS.put(
                "natural recoveries",
                new String[] {
                    "SELECT store_id, toStartOfMinute(recovered_at) AS minute,"
                            + " toString(count()) AS n, toString(sum(recovered_value)) AS value"
                            + " FROM recoveries_latest WHERE in_holdout = 1"
                            + " GROUP BY store_id, minute ORDER BY store_id, minute",
                    "SELECT store_id, window_start AS minute, toString(sum(holdout_recoveries)) AS n,"
                            + " toString(sum(holdout_recovered_value)) AS value"
                            + " FROM contact_kpi_minute FINAL WHERE holdout_recoveries > 0"
                            + " GROUP BY store_id, minute ORDER BY store_id, minute"
                });
        CHECKS.put(
                "holdout",
                new String[] {
                    "SELECT store_id, toStartOfMinute(assigned_at) AS minute,"
                            + " toString(countIf(in_holdout = 0)) AS treated,"
                            + " toString(countIf(in_holdout = 1)) AS held FROM holdout_latest"
                            + " GROUP BY store_id, minute ORDER BY store_id, minute",
                    "SELECT store_id, window_start AS minute, toString(sum(carts_treated)) AS treated,"
                            + " toString(sum(carts_held_out)) AS held FROM contact_kpi_minute FINAL"
                            + " WHERE carts_treated + carts_held_out > 0"
                            + " GROUP BY store_id, minute ORDER BY store_id, minute"
                });
    }

    /** Polls until every KPI query equals its facts' query (or the wait is over): the facts. */
    private static Map<String, List<Map<String, String>>> awaitEqual(String database)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Map<String, List<Map<String, String>>> facts = new LinkedHashMap<>();
            boolean equal = true;
            for (Map.Entry<String, String[]> check : CHECKS.entrySet()) {
                List<Map<String, String>> expected = CLICKHOUSE.rows(database, check.getValue()[0]);
                facts.put(check.getKey(), expected);
                equal &= expected.equals(CLICKHOUSE.rows(database, check.getValue()[1]));
            }
            if (equal || System.nanoTime() > deadline) {
                return facts;
            }
            Thread.sleep(500);
        }
    }

    private static List<Map<String, String>> await(
            String database, String sql, List<Map<String, String>> expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<Map<String, String>> rows = CLICKHOUSE.rows(database, sql);
        while (!rows.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            rows = CLICKHOUSE.rows(database, sql);
        }
        return rows;
    }

    private static String database() throws Exception {
        String database = CLICKHOUSE.newDatabase();
        new SchemaMigrator(new ClickHouseHttp(CLICKHOUSE.clickHouseSettings(database)), database)
                .apply(Migrations.bundled());
        return database;
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
            kafka.createTopic(name, topic.equals("clickstream") ? 2 : 1);
            topics.put("topic." + topic, name);
        }
        return topics;
    }

    private static Map<String, String> settings(
            Map<String, String> topics, String database, String group) {
        Map<String, String> settings = new HashMap<>(topics);
        settings.putAll(CLICKHOUSE.settings(database));
        settings.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        settings.put("kafka.group-id", group);
        settings.put("delivery.guarantee", "AT_LEAST_ONCE");
        settings.put("delivery.checkpoint-interval", "500ms");
        settings.put("delivery.transactional-id-prefix", group);
        settings.put("ingest.out-of-orderness", "1s");
        // Time moves with one "clock" visitor's events: the bad-clock defence would hold them.
        settings.put("ingest.max-event-time-step", "3650d");
        settings.put("ingest.idle-timeout", "1s");
        settings.put("ingest.max-future-skew", "3650d");
        settings.put("clickhouse.flush-interval", "200ms");
        return settings;
    }

    private static JobClient start(Configuration config) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(config);
        env.setParallelism(2);
        return StreamingJob.start(env, config);
    }

    private static void sendClicks(Map<String, String> topics, int partition, String... lines) {
        kafka.send(topics.get("topic.clickstream"), partition, bytes(List.of(lines)));
    }

    private static JsonNode awaitCreate(Map<String, String> topics, String cartId) {
        return firstCreates(
                        kafka.readUntil(
                                topics.get("topic.contact-tasks"),
                                r ->
                                        firstCreates(r).stream()
                                                .anyMatch(
                                                        t ->
                                                                t.get("cart_id")
                                                                        .asText()
                                                                        .equals(cartId)),
                                WAIT))
                .stream()
                .filter(t -> t.get("cart_id").asText().equals(cartId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no task for " + cartId));
    }

    private static List<JsonNode> firstCreates(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(x -> json(x.value())).filter(t -> isFirstCreate(t)).toList();
    }

    private static boolean isFirstCreate(JsonNode task) {
        return task.get("type").asText().equals("create") && task.get("attempt").asInt() == 1;
    }

    private static long countOf(Map<String, JsonNode> tasks, List<String> shoppers) {
        return shoppers.stream().filter(tasks::containsKey).count();
    }

    /**
     * A "read" outcome (reached, on any message channel: these carts get e-mails) of each shopper's
     * first task (if it has one), at the minute given.
     */
    private static List<String> outcomes(
            Map<String, JsonNode> tasks, List<String> shoppers, double minute) {
        List<String> outcomes = new ArrayList<>();
        for (String s : shoppers) {
            if (tasks.containsKey(s)) {
                outcomes.add(outcome(tasks.get(s), "read", minute));
            }
        }
        return outcomes;
    }

    private static String outcome(JsonNode task, String code, double minute) {
        return "{\"task_id\":\""
                + task.get("task_id").asText()
                + "\",\"store_id\":\""
                + STORE
                + "\",\"cart_id\":\""
                + task.get("cart_id").asText()
                + "\",\"attempt\":1,\"channel\":\""
                + task.get("channel").asText()
                + "\",\"outcome\":\""
                + code
                + "\",\"time\":\""
                + Instant.ofEpochMilli(minutes(minute))
                + "\"}";
    }

    private static List<String> profiles(String... customers) {
        List<String> profiles = new ArrayList<>();
        for (String customer : customers) {
            profiles.add(
                    "{\"store_id\":\""
                            + STORE
                            + "\",\"customer_id\":\""
                            + customer
                            + "\",\"order_count\":6,\"lifetime_value\":\"1500.00\","
                            + "\"phone\":\"+34612345678\",\"email\":\"ana@example.com\","
                            + "\"consent\":{\"call\":{\"granted\":true},\"whatsapp\":{\"granted\":true},"
                            + "\"email\":{\"granted\":true}}}");
        }
        return profiles;
    }

    private static long seconds(double minute) {
        return minutes(minute) / 1000;
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
}

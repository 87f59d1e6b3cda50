package io.cartrecovery.job;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.Events.purchase;
import static io.cartrecovery.testing.ReplayRun.clockAt;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrecovery.config.Configs;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.testing.KafkaBroker;
import io.cartrecovery.testing.ReplayRun;
import io.cartrecovery.testing.Schemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production job end to end: a real Kafka broker, the Kafka source and transactional sinks, a
 * Flink MiniCluster. The clickstream topic has two partitions and all events go to partition 0:
 * partition 1 stays idle the whole time, and tasks must come out anyway.
 */
class KafkaPipelineTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final AtomicInteger RUNS = new AtomicInteger();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private static KafkaBroker kafka;

    @TempDir Path dir;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaBroker.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
    }

    /** Topic names and settings of one job run, unique per run. */
    private static final class Run {
        final String prefix = "run" + RUNS.incrementAndGet();
        final String clickstream = prefix + "-clickstream";
        final String tasks = prefix + "-contact-tasks";
        final String abandoned = prefix + "-abandoned-carts";
        final String dlq = prefix + "-clickstream-dlq";
        final String profiles = prefix + "-customer-profiles";
        final String agents = prefix + "-agents";
        final String alerts = prefix + "-alerts";
        final String outcomes = prefix + "-contact-outcomes";
        final String taskEvents = prefix + "-task-events";
        final Map<String, String> settings = new HashMap<>();

        Run(String guarantee) throws Exception {
            kafka.createTopic(clickstream, 2);
            kafka.createTopic(tasks, 1);
            kafka.createTopic(abandoned, 1);
            kafka.createTopic(dlq, 1);
            kafka.createTopic(profiles, 1);
            kafka.createTopic(agents, 1);
            kafka.createTopic(alerts, 1);
            settings.put("topic.agents", agents);
            settings.put("topic.alerts", alerts);
            kafka.createTopic(outcomes, 1);
            kafka.createTopic(taskEvents, 1);
            settings.put("topic.customer-profiles", profiles);
            settings.put("topic.contact-outcomes", outcomes);
            settings.put("topic.task-events", taskEvents);
            // Every cart is contacted, so the scenarios see every task (and match the replays).
            settings.put("followup.holdout-share", "0");
            settings.put("kafka.bootstrap-servers", kafka.bootstrapServers());
            settings.put("kafka.group-id", prefix);
            settings.put("topic.clickstream", clickstream);
            settings.put("topic.contact-tasks", tasks);
            settings.put("topic.abandoned-carts", abandoned);
            settings.put("topic.dead-letter", dlq);
            settings.put("delivery.guarantee", guarantee);
            settings.put("delivery.checkpoint-interval", "500ms");
            settings.put("delivery.transactional-id-prefix", prefix);
            settings.put("ingest.out-of-orderness", "1s");
            // Time moves here with one "clock" visitor's events, a single cart jumping minutes
            // ahead: the bad-clock defence would rightly hold it (docs/time.md).
            settings.put("ingest.max-event-time-step", "3650d");
            settings.put("ingest.idle-timeout", "1s");
            settings.put("ingest.max-event-bytes", "1024");
        }

        JobClient start() throws Exception {
            Configuration config = Configs.load(null, settings);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(config);
            env.setParallelism(2);
            return StreamingJob.start(env, config);
        }
    }

    /**
     * The scenario's shoppers, with a phone, an e-mail address and consent to every channel: their
     * carts get tasks, whatever their tier.
     */
    private static final List<String> SHOPPERS =
            List.of(reachable("alice"), reachable("bob"), reachable("carol"), reachable("dave"));

    private static String reachable(String customer) {
        return "{\"store_id\":\"shop-1\",\"customer_id\":\""
                + customer
                + "\",\"phone\":\"+34612345678\",\"email\":\""
                + customer
                + "@example.com\",\"consent\":{\"call\":{\"granted\":true},"
                + "\"whatsapp\":{\"granted\":true},\"sms\":{\"granted\":true},"
                + "\"email\":{\"granted\":true}}}";
    }

    /**
     * Puts the shoppers' profiles on the run's profile topic before it starts; carts wait until the
     * job has read them (only contactable carts get tasks).
     */
    private static void withShoppers(Run run) throws Exception {
        kafka.send(run.profiles, 0, bytes(SHOPPERS));
    }

    /** Three carts: abandoned; bought inside the gap; abandoned then bought (a cancel). */
    private static List<String> scenario() {
        return List.of(
                add("p1", 2, "19.90").customer("alice").atMinute(0).json(),
                add("p1", 1, "5.00").customer("bob").atMinute(0).json(),
                add("p9", 1, "99.99").customer("carol").atMinute(1).json(),
                purchase().customer("bob").atMinute(4).json(),
                clockAt(12),
                purchase().customer("carol").orderId("order-carol").atMinute(20).json(),
                clockAt(30));
    }

    private static List<byte[]> bytes(List<String> lines) {
        return lines.stream().map(l -> l.getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static JsonNode json(ConsumerRecord<byte[], byte[]> record) {
        try {
            return ClickEventJson.MAPPER.readTree(record.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A task without the fields that record the run's own wall clock. */
    private static String comparable(JsonNode task) {
        ObjectNode copy = task.deepCopy();
        copy.remove(List.of("emitted_at", "detected_at"));
        return copy.toString();
    }

    private static Set<String> comparable(List<JsonNode> tasks) {
        return tasks.stream()
                .map(KafkaPipelineTest::comparable)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private List<JsonNode> runAndCollectTasks(Run run, int expected) throws Exception {
        JobClient job = run.start();
        try {
            kafka.send(run.clickstream, 0, bytes(scenario()));
            List<ConsumerRecord<byte[], byte[]>> records =
                    kafka.readUntil(run.tasks, r -> r.size() >= expected, WAIT);
            return records.stream().map(KafkaPipelineTest::json).toList();
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void exactlyOnceRunEmitsTasksAndCancelsWithAnIdlePartition() throws Exception {
        Run run = new Run("EXACTLY_ONCE");
        withShoppers(run);
        List<JsonNode> tasks = runAndCollectTasks(run, 3);

        assertThat(tasks).hasSize(3);
        tasks.forEach(t -> Schemas.assertValid("contact-task.schema.json", t));
        assertThat(
                        tasks.stream()
                                .map(
                                        t ->
                                                t.get("type").asText()
                                                        + ":"
                                                        + t.get("customer_id").asText()))
                .containsExactlyInAnyOrder("create:alice", "create:carol", "cancel:carol");
        JsonNode carolCreate =
                tasks.stream()
                        .filter(
                                t ->
                                        t.get("type").asText().equals("create")
                                                && t.get("customer_id").asText().equals("carol"))
                        .findFirst()
                        .orElseThrow();
        JsonNode carolCancel =
                tasks.stream()
                        .filter(t -> t.get("type").asText().equals("cancel"))
                        .findFirst()
                        .orElseThrow();
        assertThat(carolCancel.get("task_id")).isEqualTo(carolCreate.get("task_id"));
        assertThat(carolCancel.get("order_id").asText()).isEqualTo("order-carol");

        List<ConsumerRecord<byte[], byte[]>> abandoned =
                kafka.readUntil(run.abandoned, r -> r.size() >= 2, WAIT);
        assertThat(abandoned).hasSize(2);
        abandoned.forEach(
                r -> {
                    Schemas.assertValid("abandoned-cart.schema.json", json(r));
                    // Keyed by cart id, so everything about one cart stays in order in one
                    // partition.
                    assertThat(new String(r.key(), StandardCharsets.UTF_8))
                            .isEqualTo(json(r).get("cart_id").asText());
                });
    }

    @Test
    void atLeastOnceRunAndReplayOfTheSameEventsGiveTheSameTasks() throws Exception {
        Run run = new Run("AT_LEAST_ONCE");
        withShoppers(run);
        List<JsonNode> live = runAndCollectTasks(run, 3);
        ReplayRun replay = ReplayRun.withProfiles(dir, scenario(), SHOPPERS, Map.of());

        assertThat(live).hasSize(3);
        assertThat(comparable(live)).isEqualTo(comparable(replay.tasks));
    }

    @Test
    void eventLaterThanTheBoundReReportsTheCartUnderTheSameTask() throws Exception {
        Run run = new Run("AT_LEAST_ONCE");
        withShoppers(run);
        JobClient job = run.start();
        try {
            kafka.send(
                    run.clickstream,
                    0,
                    bytes(
                            List.of(
                                    add("p1", 1, "10.00").customer("dave").atMinute(0).json(),
                                    clockAt(12))));
            assertThat(kafka.readUntil(run.tasks, r -> r.size() >= 1, WAIT)).hasSize(1);
            // Event time is past minute 11 everywhere now: an item from minute 1 is late.
            kafka.send(
                    run.clickstream,
                    0,
                    bytes(
                            List.of(
                                    add("p2", 1, "2.50").customer("dave").atMinute(1).json(),
                                    clockAt(13))));
            List<JsonNode> tasks =
                    kafka.readUntil(run.tasks, r -> r.size() >= 2, WAIT).stream()
                            .map(KafkaPipelineTest::json)
                            .toList();
            assertThat(tasks).hasSize(2);
            assertThat(tasks.get(1).get("task_id")).isEqualTo(tasks.get(0).get("task_id"));
            assertThat(tasks.get(0).get("cart_value").decimalValue()).isEqualByComparingTo("10.00");
            assertThat(tasks.get(1).get("cart_value").decimalValue()).isEqualByComparingTo("12.50");
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void everyKindOfBadRecordIsDeadLetteredWithReasonAndPosition() throws Exception {
        Run run = new Run("EXACTLY_ONCE");
        String valid = add("p1", 1, "1.00").customer("erin").atMinute(0).json();
        Map<String, byte[]> bad = new java.util.LinkedHashMap<>();
        bad.put("malformed JSON", "{\"event_id\": ".getBytes(StandardCharsets.UTF_8));
        bad.put(
                "missing event_id",
                valid.replaceFirst("\"event_id\":\"[^\"]+\",", "")
                        .getBytes(StandardCharsets.UTF_8));
        bad.put(
                "missing cart_id, customer_id and anonymous_id",
                valid.replace("\"customer_id\":\"erin\",", "").getBytes(StandardCharsets.UTF_8));
        bad.put(
                "unknown type 'teleport'",
                valid.replace("add_to_cart", "teleport").getBytes(StandardCharsets.UTF_8));
        bad.put(
                "negative items[0].price (-1.00)",
                valid.replace("\"price\":1.00", "\"price\":-1.00")
                        .getBytes(StandardCharsets.UTF_8));
        bad.put(
                "negative items[0].quantity (-3)",
                valid.replace("\"quantity\":1", "\"quantity\":-3")
                        .getBytes(StandardCharsets.UTF_8));
        bad.put(
                "absurd event_time 1999-12-31T23:59:59Z",
                valid.replace("2026-11-26T10:00:00Z", "1999-12-31T23:59:59Z")
                        .getBytes(StandardCharsets.UTF_8));
        bad.put(
                "oversized payload",
                ("{\"pad\":\"" + "x".repeat(2000) + "\"}").getBytes(StandardCharsets.UTF_8));
        bad.put("unrecognised record", "neither JSON nor CSV".getBytes(StandardCharsets.UTF_8));
        // Binary junk: never decoded, kept byte for byte (payload_base64).
        bad.put("invalid UTF-8 at byte 0", new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x01});
        assertThat(valid).contains("\"price\":1.00").contains("\"quantity\":1");

        JobClient job = run.start();
        List<ConsumerRecord<byte[], byte[]>> letters;
        try {
            List<byte[]> records = new ArrayList<>(bad.values());
            kafka.send(run.clickstream, 0, records);
            letters = kafka.readUntil(run.dlq, r -> r.size() >= bad.size(), WAIT);
        } finally {
            job.cancel().get();
        }
        assertThat(letters).hasSize(bad.size());
        List<String> keys = new ArrayList<>(bad.keySet());
        for (ConsumerRecord<byte[], byte[]> record : letters) {
            JsonNode letter = json(record);
            Schemas.assertValid("dead-letter.schema.json", letter);
            long offset = letter.get("source").get("offset").asLong();
            assertThat(letter.get("source").get("topic").asText()).isEqualTo(run.clickstream);
            assertThat(letter.get("source").get("partition").asInt()).isZero();
            assertThat(letter.get("reason").asText()).startsWith(keys.get((int) offset));
            byte[] original = bad.get(keys.get((int) offset));
            byte[] kept =
                    letter.has("payload")
                            ? letter.get("payload").asText().getBytes(StandardCharsets.UTF_8)
                            : java.util.Base64.getDecoder()
                                    .decode(letter.get("payload_base64").asText());
            assertThat(kept).isEqualTo(original);
        }
    }

    @Test
    void agentsOnTheTopicTakeCallsAndACallNobodyCanTakeRaisesAnAlert() throws Exception {
        Run run = new Run("AT_LEAST_ONCE");
        run.settings.put("assignment.queue-alert-size", "0");
        kafka.send(
                run.agents,
                0,
                bytes(
                        List.of(
                                "{\"agent_id\":\"ana\",\"stores\":[\"shop-1\"],"
                                        + "\"languages\":[\"es\"],\"time_zone\":\"UTC\","
                                        + "\"shift\":{\"thu\":\"00:00-24:00\"},"
                                        + "\"max_open_tasks\":2,\"max_tasks_per_day\":20}",
                                "{\"agent_id\":\"broken\",\"stores\":[\"shop-1\"]}")));
        kafka.send(
                run.profiles,
                0,
                bytes(
                        List.of(
                                callable("vic", "es-ES"),
                                // Nobody on the roster speaks German.
                                callable("wim", "de"))));
        JobClient job = run.start();
        try {
            kafka.send(
                    run.clickstream,
                    0,
                    bytes(
                            List.of(
                                    add("p1", 1, "400.00").customer("vic").atMinute(0).json(),
                                    add("p1", 1, "400.00").customer("wim").atMinute(0).json(),
                                    clockAt(12))));
            List<JsonNode> tasks =
                    kafka
                            .readUntil(
                                    run.tasks,
                                    r ->
                                            r.stream()
                                                    .map(KafkaPipelineTest::json)
                                                    .anyMatch(t -> t.hasNonNull("assigned_agent")),
                                    WAIT)
                            .stream()
                            .map(KafkaPipelineTest::json)
                            .toList();
            tasks.forEach(t -> Schemas.assertValid("contact-task.schema.json", t));
            JsonNode assigned =
                    tasks.stream().filter(t -> t.hasNonNull("assigned_agent")).findFirst().get();
            assertThat(assigned.get("customer_id").asText()).isEqualTo("vic");
            assertThat(assigned.get("assigned_agent").asText()).isEqualTo("ana");
            assertThat(assigned.get("mode").asText()).isEqualTo("agent");

            JsonNode alert = json(kafka.readUntil(run.alerts, r -> !r.isEmpty(), WAIT).get(0));
            Schemas.assertValid("alert.schema.json", alert);
            assertThat(alert.get("type").asText()).isEqualTo("queue_growing");
            assertThat(alert.get("count").asInt()).isEqualTo(1);

            JsonNode letter = json(kafka.readUntil(run.dlq, r -> !r.isEmpty(), WAIT).get(0));
            assertThat(letter.get("reason").asText()).isEqualTo("missing time_zone");
            assertThat(letter.get("source").get("topic").asText()).isEqualTo(run.agents);
        } finally {
            job.cancel().get();
        }
    }

    private static String callable(String customer, String language) {
        return "{\"store_id\":\"shop-1\",\"customer_id\":\""
                + customer
                + "\",\"phone\":\"+34612345678\",\"language\":\""
                + language
                + "\",\"order_count\":6,\"lifetime_value\":\"1500.00\","
                + "\"consent\":{\"call\":{\"granted\":true}}}";
    }

    /**
     * The profiles on their topic at the start decide contact, although the clickstream's backlog
     * is read at the same time: Alice's and Carol's profiles come after 150,000 others on their
     * topic (and a tombstone ends it), so their carts are out of the tracker long before their
     * profiles are read. The carts wait in event time for the profiles' first read, as a replay
     * loads its profiles before the first event.
     */
    @Test
    void profilesOnTheTopicAtTheStartDecideContactThoughTheCartsComeFirst() throws Exception {
        Run run = new Run("AT_LEAST_ONCE");
        List<byte[]> others = new ArrayList<>();
        for (int i = 0; i < 150_000; i++) {
            others.add(
                    bytes(
                                    List.of(
                                            "{\"store_id\":\"shop-1\",\"customer_id\":\"other-"
                                                    + i
                                                    + "\",\"email\":\"other-"
                                                    + i
                                                    + "@example.com\"}"))
                            .get(0));
        }
        kafka.send(run.profiles, 0, others);
        kafka.send(
                run.profiles,
                0,
                bytes(
                        List.of(
                                "{\"store_id\":\"shop-1\",\"customer_id\":\"alice\","
                                        + "\"phone\":\"+34612345678\",\"do_not_contact\":true,"
                                        + "\"consent\":{\"call\":{\"granted\":true}}}",
                                "{\"store_id\":\"shop-1\",\"customer_id\":\"carol\","
                                        + "\"email\":\"carol@example.com\","
                                        + "\"consent\":{\"email\":{\"granted\":true}}}")));
        kafka.sendTombstone(run.profiles, 0, "shop-1/other-0");
        kafka.send(run.clickstream, 0, bytes(scenario()));
        JobClient job = run.start();
        try {
            // Bob bought within his gap: no fact and no task for him, even when his events arrive
            // late at the tracker in one burst (sources waking up after idleness).
            List<JsonNode> abandoned =
                    kafka.readUntil(run.abandoned, r -> r.size() >= 2, WAIT).stream()
                            .map(KafkaPipelineTest::json)
                            .toList();
            List<JsonNode> tasks =
                    kafka.readUntil(run.tasks, r -> r.size() >= 2, WAIT).stream()
                            .map(KafkaPipelineTest::json)
                            .toList();

            assertThat(
                            abandoned.stream()
                                    .map(
                                            a ->
                                                    a.get("customer_id").asText()
                                                            + ":"
                                                            + a.get("contact_decision").asText()))
                    .containsExactlyInAnyOrder("alice:do_not_contact", "carol:contact");
            assertThat(tasks)
                    .extracting(t -> t.get("type").asText() + ":" + t.get("customer_id").asText())
                    .containsExactlyInAnyOrder("create:carol", "cancel:carol");
            JsonNode create =
                    tasks.stream()
                            .filter(t -> t.get("type").asText().equals("create"))
                            .findFirst()
                            .orElseThrow();
            assertThat(create.get("channel").asText()).isEqualTo("email");
            assertThat(create.get("mode").asText()).isEqualTo("automated");
            assertThat(create.get("customer").get("email").asText()).isEqualTo("carol@example.com");
        } finally {
            job.cancel().get();
        }
    }
}

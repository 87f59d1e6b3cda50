package io.cartrecovery.demo;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.ReplayRun.clockAt;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.config.Configs;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.job.StreamingJob;
import io.cartrecovery.outcomes.ContactOutcome;
import io.cartrecovery.outcomes.OutcomeCode;
import io.cartrecovery.testing.KafkaBroker;
import io.cartrecovery.testing.Schemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
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

/**
 * The follow-up end to end on a real Kafka broker: the streaming job issues first attempts, the
 * dialer simulator answers them on the contact-outcomes topic, and the outcomes decide each
 * customer's second attempt, as task events and contact tasks on their topics.
 */
class FollowUpKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int CUSTOMERS = 16;
    private static final long SEED = 7;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaBroker.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
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

    private static List<JsonNode> read(String topic, Predicate<List<JsonNode>> done) {
        return kafka
                .readUntil(
                        topic,
                        records ->
                                done.test(records.stream().map(FollowUpKafkaTest::json).toList()),
                        WAIT)
                .stream()
                .map(FollowUpKafkaTest::json)
                .toList();
    }

    private static List<JsonNode> creates(List<JsonNode> tasks, int attempt) {
        return tasks.stream()
                .filter(t -> t.get("type").asText().equals("create"))
                .filter(t -> t.get("attempt").asInt() == attempt)
                .toList();
    }

    private static String profile(String customer) {
        return "{\"store_id\":\"shop-1\",\"customer_id\":\""
                + customer
                + "\",\"order_count\":6,\"lifetime_value\":\"1500.00\","
                + "\"phone\":\"+34612345678\",\"email\":\"ana@example.com\","
                + "\"consent\":{\"call\":{\"granted\":true},\"whatsapp\":{\"granted\":true},"
                + "\"email\":{\"granted\":true}}}";
    }

    /** What the cadence makes of a first call's outcome by five hours after abandonment. */
    private static String secondAttemptChannel(OutcomeCode first) {
        return switch (first) {
            case REACHED_NOT_INTERESTED, DO_NOT_CONTACT, PROMISED_TO_BUY -> null;
            case CALLBACK_REQUESTED -> "call";
            case WRONG_NUMBER -> "email";
            default -> "whatsapp";
        };
    }

    @Test
    void dialerOutcomesDecideTheSecondAttempts() throws Exception {
        String prefix = "followup";
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
                        // The job reads the roster and writes alerts too; without the topics its
                        // sources fail and restart for ever.
                        "agents",
                        "alerts")) {
            String name = prefix + "-" + topic;
            kafka.createTopic(name, 1);
            topics.put("topic." + topic, name);
        }
        Map<String, String> settings = new HashMap<>(topics);
        settings.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        settings.put("kafka.group-id", prefix);
        settings.put("delivery.guarantee", "AT_LEAST_ONCE");
        settings.put("delivery.checkpoint-interval", "500ms");
        settings.put("delivery.transactional-id-prefix", prefix);
        settings.put("ingest.out-of-orderness", "1s");
        // Time moves here with one "clock" visitor's events, a single cart jumping minutes ahead:
        // the bad-clock defence would rightly hold it (docs/time.md).
        settings.put("ingest.max-event-time-step", "3650d");
        settings.put("ingest.idle-timeout", "1s");
        settings.put("ingest.max-future-skew", "3650d");
        settings.put("followup.holdout-share", "0");
        Configuration config = Configs.load(null, settings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);

        List<String> customers = new ArrayList<>();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            String customer = "k" + i;
            customers.add(customer);
            events.add(add("p1", 1, "250.00").customer(customer).cart("cart-" + customer).json());
        }
        events.add(clockAt(12));

        JobClient job = StreamingJob.start(env, config);
        try (DialerBridge dialer =
                new DialerBridge(
                                kafka.bootstrapServers(),
                                topics.get("topic.contact-tasks"),
                                topics.get("topic.contact-outcomes"),
                                new DialerSimulator(SEED))
                        .start()) {
            kafka.send(
                    topics.get("topic.customer-profiles"),
                    0,
                    bytes(customers.stream().map(FollowUpKafkaTest::profile).toList()));
            // Profiles first: the carts must be decided with them (no profile wait here).
            Thread.sleep(2_000);
            kafka.send(topics.get("topic.clickstream"), 0, bytes(events));

            List<JsonNode> firsts =
                    creates(
                            read(
                                    topics.get("topic.contact-tasks"),
                                    t -> creates(t, 1).size() >= CUSTOMERS),
                            1);
            assertThat(firsts).hasSize(CUSTOMERS);
            firsts.forEach(t -> assertThat(t.get("channel").asText()).isEqualTo("call"));

            // What the simulator says, predicted from the same seed.
            DialerSimulator predictor = new DialerSimulator(SEED);
            Map<String, List<ContactOutcome>> expected = new HashMap<>();
            firsts.forEach(t -> expected.put(t.get("cart_id").asText(), predictor.outcomes(t)));
            int outcomeCount = expected.values().stream().mapToInt(List::size).sum();
            Set<OutcomeCode> codes =
                    expected.values().stream()
                            .map(o -> o.get(0).outcome())
                            .collect(Collectors.toSet());
            assertThat(codes).hasSizeGreaterThanOrEqualTo(4);

            while (dialer.sent() < outcomeCount) {
                Thread.sleep(100);
            }
            // Moving event time past the outcomes applies them, and five hours on the second
            // attempts are due.
            kafka.send(
                    topics.get("topic.clickstream"), 0, bytes(List.of(clockAt(60), clockAt(300))));

            List<JsonNode> outcomeEvents =
                    read(
                                    topics.get("topic.task-events"),
                                    e ->
                                            e.stream()
                                                            .filter(
                                                                    x ->
                                                                            x.get("type")
                                                                                            .asText()
                                                                                            .equals(
                                                                                                    "outcome")
                                                                                    && x.get(
                                                                                                            "attempt")
                                                                                                    .asInt()
                                                                                            == 1)
                                                            .count()
                                                    >= outcomeCount)
                            .stream()
                            .filter(e -> e.get("type").asText().equals("outcome"))
                            .filter(e -> e.get("attempt").asInt() == 1)
                            .toList();
            outcomeEvents.forEach(e -> Schemas.assertValid("task-event.schema.json", e));
            assertThat(
                            outcomeEvents.stream()
                                    .map(
                                            e ->
                                                    e.get("task_id").asText()
                                                            + ":"
                                                            + e.get("outcome").asText())
                                    .collect(Collectors.toSet()))
                    .isEqualTo(
                            expected.values().stream()
                                    .flatMap(List::stream)
                                    .map(o -> o.taskId() + ":" + o.outcome().wireName())
                                    .collect(Collectors.toSet()));

            Map<String, String> wantSecond = new HashMap<>();
            expected.forEach(
                    (cart, outcomes) -> {
                        String channel = secondAttemptChannel(outcomes.get(0).outcome());
                        if (channel != null) {
                            wantSecond.put(cart, channel);
                        }
                    });
            List<JsonNode> seconds =
                    creates(
                            read(
                                    topics.get("topic.contact-tasks"),
                                    t -> creates(t, 2).size() >= wantSecond.size()),
                            2);
            assertThat(
                            seconds.stream()
                                    .collect(
                                            Collectors.toMap(
                                                    t -> t.get("cart_id").asText(),
                                                    t -> t.get("channel").asText())))
                    .isEqualTo(wantSecond);
        } finally {
            job.cancel().get();
        }
    }
}

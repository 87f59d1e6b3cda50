package io.cartrecovery.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrecovery.demo.cli.CartRecoveryCli;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.events.EventType;
import io.cartrecovery.outcomes.ContactOutcome;
import io.cartrecovery.outcomes.ContactOutcomeJson;
import io.cartrecovery.outcomes.OutcomeCode;
import io.cartrecovery.tasks.ContactTask;
import io.cartrecovery.testing.CanonicalParser;
import io.cartrecovery.testing.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code dialer-sim} command and what the dialer simulator answers, on a real Kafka broker. */
class DialerSimCommandTest {
    private static final long T0 = Instant.parse("2026-11-26T10:00:00Z").toEpochMilli();
    private static final long SEED = 3;

    private static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaBroker.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    private static ObjectNode task(String cart, String channel, String agent) {
        ObjectNode task = ClickEventJson.MAPPER.createObjectNode();
        task.put("type", "create");
        task.put("task_id", ContactTask.taskId("shop-1", cart, 1));
        task.put("store_id", "shop-1");
        task.put("cart_id", cart);
        task.put("customer_id", "cust-" + cart);
        task.put("attempt", 1);
        task.put("channel", channel);
        task.put("assigned_agent", agent);
        task.put("issued_at", Instant.ofEpochMilli(T0).toString());
        task.put("due_by", Instant.ofEpochMilli(T0 + 20 * 60_000L).toString());
        task.put("currency", "EUR");
        task.putArray("items")
                .addObject()
                .put("product_id", "p-1")
                .put("name", "Lamp")
                .put("quantity", 2)
                .put("unit_price", new BigDecimal("19.90"));
        return task;
    }

    private static byte[] bytes(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void answersEachTaskOnceWithItsSeededOutcomesAndDropsCancelledCalls() throws Exception {
        kafka.createTopic("tasks-a", 1);
        kafka.createTopic("outcomes-a", 1);
        ObjectNode call = task("cart-1", "call", "agent-ann");
        ObjectNode message = task("cart-2", "whatsapp", null);
        ObjectNode cancelled = task("cart-3", "call", "agent-bob");
        ObjectNode cancel = cancelled.deepCopy().put("type", "cancel");
        // The call is sent twice (as after a reassignment): one answer.
        kafka.send(
                "tasks-a",
                0,
                List.of(bytes(call), bytes(message), bytes(call), bytes(cancelled), bytes(cancel)));

        Output output =
                cli(
                        "dialer-sim",
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--tasks-topic",
                        "tasks-a",
                        "--outcomes-topic",
                        "outcomes-a",
                        "--seed",
                        String.valueOf(SEED),
                        // 17 simulated minutes at most: 1 s.
                        "--speed",
                        "1200",
                        // Joining the consumer group alone takes seconds on a busy machine.
                        "--duration",
                        "10s");

        assertThat(output.exitCode).as(output.err).isZero();
        DialerSimulator predictor = new DialerSimulator(SEED);
        List<ContactOutcome> expected = new ArrayList<>(predictor.outcomes(call));
        expected.addAll(predictor.outcomes(message));
        assertThat(output.out)
                .startsWith("answering tasks of topic tasks-a with outcomes to outcomes-a at ")
                .contains("speed 1200, seed 3, for 10 s")
                .contains("tasks read 5  outcomes sent " + expected.size() + "; stopped");
        List<ContactOutcome> sent = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record :
                kafka.readUntil(
                        "outcomes-a", r -> r.size() >= expected.size(), Duration.ofSeconds(10))) {
            sent.add(ContactOutcomeJson.parse(record.value()));
        }
        assertThat(sent).containsExactlyInAnyOrderElementsOf(expected);
        // The assigned agent makes the call and is named on its outcome.
        assertThat(sent)
                .filteredOn(o -> o.cartId().equals("cart-1"))
                .allMatch(o -> "agent-ann".equals(o.agentId()));
        assertThat(sent).noneMatch(o -> o.cartId().equals("cart-3"));
    }

    @Test
    void atSpeedOneAnOutcomeWaitsAsLongAsTheCallTook() throws Exception {
        kafka.createTopic("tasks-b", 1);
        kafka.createTopic("outcomes-b", 1);
        kafka.send("tasks-b", 0, List.of(bytes(task("cart-1", "call", null))));
        Output output =
                cli(
                        "dialer-sim",
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--tasks-topic",
                        "tasks-b",
                        "--outcomes-topic",
                        "outcomes-b",
                        "--duration",
                        "8s");
        assertThat(output.exitCode).as(output.err).isZero();
        // Every outcome is at least a minute after the task was issued.
        assertThat(output.out).contains("tasks read 1  outcomes sent 0; stopped");
    }

    @Test
    void answersOnlyOnTheTasksChannelAndNotAtAllWithoutOne() {
        DialerSimulator dialer = new DialerSimulator(SEED);
        for (String channel : List.of("call", "whatsapp", "sms", "email")) {
            assertThat(dialer.outcomes(task("cart-" + channel, channel, "agent-ann")))
                    .as(channel)
                    .isNotEmpty()
                    .allSatisfy(
                            o -> {
                                assertThat(o.channel().wireName()).isEqualTo(channel);
                                // An agent makes calls only; messages are sent by the system.
                                if (channel.equals("call")) {
                                    assertThat(o.agentId()).isEqualTo("agent-ann");
                                } else {
                                    assertThat(o.agentId()).isNull();
                                }
                            });
        }
        // An outcome on another channel than the task's would be a dead letter: no guessing.
        ObjectNode nullChannel = task("cart-null", "call", null).putNull("channel");
        ObjectNode noChannel = task("cart-none", "call", null);
        noChannel.remove("channel");
        assertThat(dialer.outcomes(nullChannel)).isEmpty();
        assertThat(dialer.outcomes(noChannel)).isEmpty();
        assertThat(dialer.outcomes(task("cart-fax", "fax", null))).isEmpty();
    }

    @Test
    void someShoppersBuyTheirCartAfterAContact() throws Exception {
        DialerSimulator dialer = new DialerSimulator(SEED);
        CanonicalParser parser =
                new CanonicalParser(65536, Duration.ofDays(3650), InstantSource.system());
        int promises = 0;
        int purchases = 0;
        for (int i = 0; i < 400; i++) {
            ObjectNode task = task("cart-" + i, "call", null);
            for (ContactOutcome outcome : dialer.outcomes(task)) {
                Long at = dialer.purchaseAfter(outcome);
                if (outcome.outcome() == OutcomeCode.PROMISED_TO_BUY) {
                    promises++;
                }
                if (at == null) {
                    continue;
                }
                purchases++;
                assertThat(outcome.outcome())
                        .isIn(
                                OutcomeCode.PROMISED_TO_BUY,
                                OutcomeCode.REACHED_INTERESTED,
                                OutcomeCode.REPLIED);
                assertThat(at - outcome.time()).isBetween(10 * 60_000L, 120 * 60_000L);
                ClickEvent purchase = DialerSimulator.purchase(task, at);
                // What the job's ingestion makes of it, as the generator sends it: accepted whole.
                assertThat(parser.parse(ClickEventJson.toJson(purchase))).isEqualTo(purchase);
                assertThat(purchase.type()).isEqualTo(EventType.PURCHASE);
                assertThat(purchase.cartId()).isEqualTo("cart-" + i);
                assertThat(purchase.customerId()).isEqualTo("cust-cart-" + i);
                assertThat(purchase.eventTime()).isEqualTo(at);
                assertThat(purchase.items())
                        .singleElement()
                        .satisfies(l -> assertThat(l.lineTotal()).isEqualByComparingTo("39.80"));
                // Seeded: asked again, the same answer.
                assertThat(dialer.purchaseAfter(outcome)).isEqualTo(at);
            }
        }
        // About 6% of calls end with a promise, 12% with interest: some buy, far from all.
        assertThat(promises).isPositive();
        assertThat(purchases).isBetween(promises / 3, 400 / 4);
    }

    @Test
    void unreachableKafkaIsAOneLineFailure() throws Exception {
        String servers = closedPort();
        long started = System.nanoTime();
        Output output = cli("dialer-sim", "--bootstrap-servers", servers, "--timeout", "1s");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
        assertThat(output.exitCode).isEqualTo(1);
        assertThat(output.err.strip())
                .startsWith(
                        "cart-recovery: cannot reach topics 'contact-tasks' and 'contact-outcomes'"
                                + " at "
                                + servers
                                + " ")
                .doesNotContain("\n");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--speed    | 0     | --speed must be a positive number, not '0'",
                "--duration | soon  | --duration must be a positive duration such as 90s, 5m or 2h, not 'soon'",
                "--seed     | x     | --seed must be a whole number, not 'x'",
                "--timeout  | 2h    | --timeout must be at most 1 h, not '2h'",
                "--tasks-topic | ' ' | --tasks-topic must not be blank",
                "--bootstrap-servers | nohost | --bootstrap-servers 'nohost': Invalid url in bootstrap.servers: nohost"
            })
    void badValueIsAOneLineUsageError(String option, String value, String message) {
        Output output = cli("dialer-sim", option, value);
        assertThat(output.exitCode).isEqualTo(2);
        assertThat(output.err.strip()).isEqualTo("cart-recovery: " + message);
    }

    private record Output(int exitCode, String out, String err) {}

    private static Output cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exitCode = CartRecoveryCli.execute(args);
            return new Output(
                    exitCode,
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    /** A local port nothing listens on. */
    private static String closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "127.0.0.1:" + socket.getLocalPort();
        }
    }
}

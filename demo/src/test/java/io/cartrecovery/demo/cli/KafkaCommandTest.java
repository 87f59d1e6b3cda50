package io.cartrecovery.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.testing.ConsoleCapture;
import io.cartrecovery.testing.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Kafka's own tools through {@code cart-recovery kafka}, against a real broker. */
class KafkaCommandTest {
    private static final String TOPIC = "contact-tasks";

    private static KafkaBroker kafka;

    @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

    @BeforeAll
    static void brokerWithCommittedAndAbortedTasks() throws Exception {
        kafka = KafkaBroker.start();
        kafka.createTopic(TOPIC, 1);
        // As the job writes: in transactions, one of which aborts (a failed checkpoint).
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                                "kafka-command-test"),
                        new StringSerializer(),
                        new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, "task-1", "committed-1"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, "task-2", "aborted-2"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, "task-3", "committed-3"));
            producer.commitTransaction();
        }
        System.setProperty("cartrecovery.home", home().toString());
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty("cartrecovery.home");
        kafka.close();
    }

    /** The repository root, where local-kafka's build wrote the tools' classpath. */
    private static Path home() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("local-kafka/target/classpath.txt"))) {
                return p;
            }
        }
        throw new IllegalStateException("local-kafka/target/classpath.txt not found");
    }

    /** Reads as the group {@code group}: a new group starts at the beginning. */
    private int consume(String isolation, int records, String group) {
        return CartRecoveryCli.execute(
                "kafka",
                "console-consumer",
                "--bootstrap-server",
                kafka.bootstrapServers(),
                "--topic",
                TOPIC,
                "--isolation-level",
                isolation,
                "--from-beginning",
                "--max-messages",
                String.valueOf(records),
                "--timeout-ms",
                "30000",
                "--group",
                group);
    }

    @Test
    void readCommittedShowsOnlyCommittedTasks() {
        assertThat(consume("read_committed", 2, "dialer-1")).as(console.stderr()).isZero();
        assertThat(console.stdout().lines())
                .as(console.stderr())
                .containsExactly("committed-1", "committed-3");
        assertThat(console.stderr()).contains("Processed a total of 2 messages");
    }

    @Test
    void readUncommittedShowsTheAbortedTaskToo() {
        // What a dialer reading without read_committed would call.
        assertThat(consume("read_uncommitted", 3, "dialer-2")).as(console.stderr()).isZero();
        assertThat(console.stdout().lines())
                .containsExactly("committed-1", "aborted-2", "committed-3");
    }

    @Test
    void topicsAndConsumerGroupsList() {
        assertThat(
                        CartRecoveryCli.execute(
                                "kafka",
                                "topics",
                                "--bootstrap-server",
                                kafka.bootstrapServers(),
                                "--list"))
                .as(console.stderr())
                .isZero();
        assertThat(console.stdout().lines()).contains(TOPIC);
        consume("read_committed", 2, "dialer-3");
        console.reset();
        assertThat(
                        CartRecoveryCli.execute(
                                "kafka",
                                "consumer-groups",
                                "--bootstrap-server",
                                kafka.bootstrapServers(),
                                "--list"))
                .as(console.stderr())
                .isZero();
        assertThat(console.stdout().lines()).contains("dialer-3");
    }

    @Test
    void theDemosBrokerIsTheDefault() {
        assertThat(KafkaCommand.withBootstrap(List.of("--topic", TOPIC)))
                .containsExactly("--bootstrap-server", "localhost:9092", "--topic", TOPIC);
        assertThat(KafkaCommand.withBootstrap(List.of("--bootstrap-server=b:1", "--list")))
                .containsExactly("--bootstrap-server=b:1", "--list");
    }

    @Test
    void anUnknownToolIsOneLine() {
        assertThat(CartRecoveryCli.execute("kafka", "console-consumr", "--topic", TOPIC))
                .isEqualTo(CartRecoveryCli.USAGE_ERROR);
        assertThat(console.stderr().strip())
                .isEqualTo(
                        "cart-recovery: unknown Kafka tool 'console-consumr' (tools:"
                                + " console-consumer, console-producer, consumer-groups, topics);"
                                + " see 'cart-recovery kafka --help'");
    }

    @Test
    void helpNamesTheTools() {
        assertThat(CartRecoveryCli.execute("kafka", "--help")).isZero();
        assertThat(console.stdout())
                .contains("console-consumer", "consumer-groups", "read_committed");
        console.reset();
        // After the tool's name, --help is the tool's.
        CartRecoveryCli.execute("kafka", "console-consumer", "--help");
        assertThat(console.stdout() + console.stderr()).contains("--isolation-level");
    }
}

package io.cartrecovery.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.demo.ClickstreamGenerator.Progress;
import io.cartrecovery.demo.ClickstreamGenerator.Settings;
import io.cartrecovery.demo.cli.CartRecoveryCli;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.profiles.CustomerProfile;
import io.cartrecovery.profiles.CustomerProfileJson;
import io.cartrecovery.testing.CanonicalParser;
import io.cartrecovery.testing.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The generator and the {@code generate} command against a real in-JVM Kafka broker. */
class ClickstreamGeneratorTest {
    private static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaBroker.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void sendsValidEventsKeyedByCartInOrder() throws Exception {
        String topic = "generated";
        kafka.createTopic(topic, 3);
        ClickstreamGenerator generator =
                new ClickstreamGenerator(
                        new Settings(topic, 3, 40, 60, 7, null),
                        ClickstreamGenerator.producer(
                                kafka.bootstrapServers(), Duration.ofSeconds(10)));
        List<Progress> reports = new ArrayList<>();
        Instant started = Instant.now();
        Progress end = generator.run(Duration.ofSeconds(2), Duration.ofMillis(500), reports::add);

        assertThat(end.elapsed()).isEqualTo(Duration.ofSeconds(2));
        assertThat(end.eventsSent()).isGreaterThan(100);
        assertThat(end.stats().visitsStarted()).isBetween(40L, 140L);
        assertThat(reports).isNotEmpty().allMatch(p -> p.eventsSent() <= end.eventsSent());
        // Two hours of simulated time in two seconds, ending now: nothing lies in the future.
        assertThat(end.simulatedTime()).isBetween(started, Instant.now());

        List<ConsumerRecord<byte[], byte[]>> records =
                kafka.readUntil(topic, r -> r.size() >= end.eventsSent(), Duration.ofSeconds(20));
        assertThat(records).hasSize(Math.toIntExact(end.eventsSent()));
        // The job's own ingestion, with its real clock and default skew.
        CanonicalParser parser =
                new CanonicalParser(65536, Duration.ofHours(1), InstantSource.system());
        Map<String, Integer> partitionOfKey = new HashMap<>();
        Map<String, Long> lastTimeOfKey = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            ClickEvent event = parser.parse(record.value());
            String key = new String(record.key(), StandardCharsets.UTF_8);
            assertThat(key).isEqualTo(ClickstreamGenerator.key(event));
            assertThat(partitionOfKey.putIfAbsent(key, record.partition()))
                    .isIn(null, record.partition());
            String cart = event.trackedCart().value();
            assertThat(lastTimeOfKey.getOrDefault(cart, 0L)).isLessThanOrEqualTo(event.eventTime());
            lastTimeOfKey.put(cart, event.eventTime());
        }
        assertThat(partitionOfKey.values()).containsOnly(0, 1, 2).hasSizeGreaterThan(3);
    }

    @Test
    void sendsEachCustomersProfileOnceBeforeTheirFirstEvent() throws Exception {
        String topic = "generated-with-profiles";
        String profiles = "profiles-of-generated";
        kafka.createTopic(topic, 1);
        kafka.createTopic(profiles, 1);
        Producer<byte[], byte[]> producer =
                ClickstreamGenerator.producer(kafka.bootstrapServers(), Duration.ofSeconds(10));
        Progress end =
                new ClickstreamGenerator(new Settings(topic, 2, 60, 120, 11, profiles), producer)
                        .run(Duration.ofSeconds(2), Duration.ofSeconds(1), p -> {});

        List<ConsumerRecord<byte[], byte[]>> events =
                kafka.readUntil(topic, r -> r.size() >= end.eventsSent(), Duration.ofSeconds(20));
        CanonicalParser parser =
                new CanonicalParser(65536, Duration.ofHours(1), InstantSource.system());
        Map<String, Long> firstEventOfCustomer = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : events) {
            ClickEvent event = parser.parse(record.value());
            if (event.customerId() != null) {
                firstEventOfCustomer.putIfAbsent(
                        event.storeId() + "/" + event.customerId(), record.timestamp());
            }
        }
        assertThat(firstEventOfCustomer).isNotEmpty();
        List<ConsumerRecord<byte[], byte[]>> sent =
                kafka.readUntil(
                        profiles,
                        r -> r.size() >= firstEventOfCustomer.size(),
                        Duration.ofSeconds(20));
        Map<String, CustomerProfile> byKey = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : sent) {
            CustomerProfile profile = CustomerProfileJson.parse(record.value());
            String key = new String(record.key(), StandardCharsets.UTF_8);
            assertThat(key).isEqualTo(CustomerProfileJson.key(profile));
            assertThat(byKey.put(key, profile)).as("sent once: %s", key).isNull();
            // The producer sent it first, so the broker stamped it no later than the event.
            assertThat(record.timestamp()).isLessThanOrEqualTo(firstEventOfCustomer.get(key));
        }
        assertThat(byKey.keySet()).isEqualTo(firstEventOfCustomer.keySet());
    }

    @Test
    void commandRunsForItsDurationAndSummarises() throws Exception {
        kafka.createTopic("from-cli", 1);
        Output output =
                cli(
                        "generate",
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--topic",
                        "from-cli",
                        "--rate",
                        "50",
                        "--duration",
                        "1s",
                        "--seed",
                        "5");
        assertThat(output.exitCode).isZero();
        assertThat(output.err).isEmpty();
        assertThat(output.out)
                .startsWith("generating to topic from-cli at " + kafka.bootstrapServers())
                .contains("seed 5, for 1 s")
                .containsPattern("sent [1-9][0-9]* events in 00:00:01 \\(\\d+/s\\); visits \\d+");
    }

    @Test
    void commandReportsUnreachableKafkaInOneLine() throws Exception {
        String servers = closedPort();
        long started = System.nanoTime();
        Output output = cli("generate", "--bootstrap-servers", servers, "--timeout", "1s");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
        assertThat(output.exitCode).isEqualTo(1);
        assertThat(output.err.strip())
                .startsWith(
                        "cart-recovery: cannot write to topic 'clickstream' at " + servers + " ")
                .doesNotContain("\n");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--rate    | 0     | --rate must be a positive number, not '0'",
                "--rate    | many  | --rate must be a positive number, not 'many'",
                "--speed   | -2    | --speed must be a positive number, not '-2'",
                "--stores  | 0     | --stores must be a whole number from 1 to 1000, not '0'",
                "--duration| soon  | --duration must be a positive duration such as 90s, 5m or 2h, not 'soon'",
                "--seed    | 1.5   | --seed must be a whole number, not '1.5'",
                "--timeout | 2h    | --timeout must be at most 1 h, not '2h'",
                "--bootstrap-servers | nohost | --bootstrap-servers 'nohost': Invalid url in bootstrap.servers: nohost"
            })
    void badValueIsAOneLineUsageError(String option, String value, String message) {
        // Every one fails before anything runs, so no --duration is needed.
        Output output = cli("generate", option, value);
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

package io.cartrecovery.demo.cli;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.Events.purchase;
import static io.cartrecovery.testing.ReplayRun.clockAt;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.config.KafkaOptions;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.sinks.KafkaTopics;
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
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job process killed (issue 15: TaskManager kills are {@code FaultToleranceIT}'s): {@code
 * cart-recovery run}, as a process of its own with its local defaults (embedded Flink, RocksDB,
 * checkpoints under {@code .state/}, EXACTLY_ONCE), is killed with SIGKILL at seeded random points
 * while the clickstream is written, twice, and started again each time as a supervisor would. Each
 * start must resume from the newest complete checkpoint the killed one left, abort the transactions
 * it left open (a {@code read_committed} consumer is stuck behind them otherwise), and re-read what
 * it had not committed: every abandoned cart gets exactly one create, a bought cart none, and no
 * task appears twice.
 */
class RunProcessKillTest {
    private static final long SEED = 20261207L;
    private static final int BATCHES = 3;
    private static final int CARTS_PER_BATCH = 20;
    private static final Duration START_WAIT = Duration.ofSeconds(90);
    private static final Duration TASKS_WAIT = Duration.ofSeconds(120);

    // Kept when the test fails: each start's output is in it.
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path home;

    @Test
    void killedAndStartedAgainTheRunLosesAndDoublesNoTask() throws Exception {
        Random random = new Random(SEED);
        try (KafkaBroker kafka = KafkaBroker.start()) {
            // The run's default topics; two partitions of clickstream, as its sources are two.
            for (ConfigOption<String> topic : KafkaTopics.ALL) {
                kafka.createTopic(
                        topic.defaultValue(), topic == KafkaOptions.CLICKSTREAM_TOPIC ? 2 : 1);
            }
            String clickstream = KafkaOptions.CLICKSTREAM_TOPIC.defaultValue();

            List<String> customers = new ArrayList<>();
            for (int n = 0; n < BATCHES * CARTS_PER_BATCH; n++) {
                customers.add("k" + n);
            }
            kafka.send(
                    KafkaOptions.CUSTOMER_PROFILES_TOPIC.defaultValue(),
                    0,
                    bytes(customers.stream().map(RunProcessKillTest::profile).toList()));

            Set<String> abandoned = new TreeSet<>();
            List<String> starts = new ArrayList<>();
            for (int batch = 0; batch < BATCHES; batch++) {
                Run run = Run.start(home, kafka.bootstrapServers(), batch);
                starts.add(run.await("Job built"));
                Map<Integer, List<String>> events = new HashMap<>();
                for (int i = 0; i < CARTS_PER_BATCH; i++) {
                    int n = batch * CARTS_PER_BATCH + i;
                    String customer = customers.get(n);
                    double minute = batch * 30 + i * 0.5;
                    List<String> lines = events.computeIfAbsent(n % 2, p -> new ArrayList<>());
                    lines.add(
                            add("p1", 1, "120.00")
                                    .customer(customer)
                                    .cart("cart-" + customer)
                                    .atMinute(minute)
                                    .json());
                    if (n % 3 == 0) {
                        lines.add(
                                purchase()
                                        .customer(customer)
                                        .cart("cart-" + customer)
                                        .atMinute(minute + 1)
                                        .json());
                    } else {
                        abandoned.add("cart-" + customer);
                    }
                }
                events.forEach(
                        (partition, lines) -> kafka.send(clickstream, partition, bytes(lines)));
                // Killed after at least one checkpoint of its own, at a random moment after it:
                // before, during or after the tasks of the batch before are written.
                run.awaitCheckpointAfterStart();
                Thread.sleep(random.nextInt(2_000));
                run.kill();
            }

            Run last = Run.start(home, kafka.bootstrapServers(), BATCHES);
            starts.add(last.await("Job built"));
            try {
                // Event time past every cart's gap, on both partitions.
                for (int partition = 0; partition < 2; partition++) {
                    kafka.send(clickstream, partition, bytes(List.of(clockAt(BATCHES * 30 + 60))));
                }
                List<JsonNode> tasks =
                        read(kafka, records -> creates(records).keySet().containsAll(abandoned));
                // A few checkpoints more, for any repeat still to come.
                Thread.sleep(4_000);
                tasks = read(kafka, records -> false, Duration.ofSeconds(3));

                Map<String, Integer> creates = creates(tasks);
                assertThat(creates.keySet())
                        .as("carts with a first create: the abandoned ones, none bought")
                        .isEqualTo(abandoned);
                assertThat(creates)
                        .as("creates per cart")
                        .allSatisfy((cart, n) -> assertThat(n).isEqualTo(1));
                Map<String, Integer> perTask = new LinkedHashMap<>();
                tasks.forEach(
                        t ->
                                perTask.merge(
                                        t.path("cart_id").asText()
                                                + "/"
                                                + t.path("attempt").asInt()
                                                + "/"
                                                + t.path("type").asText(),
                                        1,
                                        Integer::sum));
                assertThat(perTask)
                        .as("tasks by cart, attempt and type")
                        .allSatisfy((k, n) -> assertThat(n).isEqualTo(1));

                // The abandoned carts' topic too: one report per cart.
                Map<String, Integer> reports = new LinkedHashMap<>();
                read(
                                kafka,
                                KafkaOptions.ABANDONED_CARTS_TOPIC.defaultValue(),
                                r -> false,
                                Duration.ofSeconds(3))
                        .forEach(c -> reports.merge(c.path("cart_id").asText(), 1, Integer::sum));
                assertThat(reports.keySet()).as("carts reported abandoned").isEqualTo(abandoned);
                assertThat(reports)
                        .as("reports per cart")
                        .allSatisfy((cart, n) -> assertThat(n).isEqualTo(1));
            } finally {
                last.kill();
            }
            // Every start after the first resumed from what the one before left.
            assertThat(starts.subList(1, starts.size()))
                    .allSatisfy(output -> assertThat(output).contains("Resuming from"));
        }
    }

    private static String profile(String customer) {
        return "{\"store_id\":\"shop-1\",\"customer_id\":\""
                + customer
                + "\",\"order_count\":2,\"lifetime_value\":\"300.00\","
                + "\"phone\":\"+34612345678\",\"email\":\"ana@example.com\","
                + "\"consent\":{\"call\":{\"granted\":true},\"email\":{\"granted\":true}}}";
    }

    private static List<byte[]> bytes(List<String> lines) {
        return lines.stream().map(l -> l.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** First-attempt creates by cart. */
    private static Map<String, Integer> creates(List<JsonNode> tasks) {
        Map<String, Integer> byCart = new LinkedHashMap<>();
        tasks.stream()
                .filter(t -> t.path("type").asText().equals("create"))
                .filter(t -> t.path("attempt").asInt() == 1)
                .forEach(t -> byCart.merge(t.path("cart_id").asText(), 1, Integer::sum));
        return byCart;
    }

    private static List<JsonNode> read(KafkaBroker kafka, Predicate<List<JsonNode>> done) {
        return read(kafka, done, TASKS_WAIT);
    }

    private static List<JsonNode> read(
            KafkaBroker kafka, Predicate<List<JsonNode>> done, Duration wait) {
        return read(kafka, KafkaOptions.CONTACT_TASKS_TOPIC.defaultValue(), done, wait);
    }

    /** What a read_committed consumer sees of the topic, until {@code done} or {@code wait}. */
    private static List<JsonNode> read(
            KafkaBroker kafka, String topic, Predicate<List<JsonNode>> done, Duration wait) {
        return kafka.readUntil(topic, records -> done.test(json(records)), wait).stream()
                .map(RunProcessKillTest::json)
                .toList();
    }

    private static List<JsonNode> json(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(RunProcessKillTest::json).toList();
    }

    private static JsonNode json(ConsumerRecord<byte[], byte[]> record) {
        try {
            return ClickEventJson.MAPPER.readTree(record.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One `cart-recovery run` process, its output in a file of its own. */
    private record Run(Process process, Path output, Path home, Instant started) {
        static Run start(Path home, String bootstrap, int index) throws IOException {
            Path output = home.resolve("run-" + index + ".log");
            List<String> command =
                    new ArrayList<>(
                            List.of(
                                    Path.of(System.getProperty("java.home"), "bin", "java")
                                            .toString(),
                                    "-Xmx768m",
                                    "-Dcartrecovery.home=" + home,
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    CartRecoveryCli.class.getName(),
                                    "run"));
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("kafka.bootstrap-servers", bootstrap);
            settings.put("delivery.checkpoint-interval", "1s");
            settings.put("parallelism.default", "2");
            settings.put("ingest.out-of-orderness", "1s");
            settings.put("ingest.idle-timeout", "1s");
            // Time moves with the batches' carts, half an hour apart, and a clock visitor.
            settings.put("ingest.max-event-time-step", "3650d");
            settings.put("ingest.max-future-skew", "3650d");
            settings.put("followup.holdout-share", "0");
            settings.forEach(
                    (key, value) -> {
                        command.add("-D");
                        command.add(key + "=" + value);
                    });
            Process process =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(output.toFile())
                            .start();
            return new Run(process, output, home, Instant.now());
        }

        /** Waits until the output says {@code line}, and returns the output so far. */
        String await(String line) throws Exception {
            Instant end = Instant.now().plus(START_WAIT);
            while (Instant.now().isBefore(end)) {
                String text = Files.readString(output);
                if (text.contains(line)) {
                    return text;
                }
                assertThat(process.isAlive()).as("run exited: %s", text).isTrue();
                Thread.sleep(200);
            }
            throw new AssertionError("no '" + line + "' in " + Files.readString(output));
        }

        /** Waits for a complete checkpoint written after this process started. */
        void awaitCheckpointAfterStart() throws Exception {
            Path state = home.resolve(".state");
            Instant end = Instant.now().plus(START_WAIT);
            while (Instant.now().isBefore(end)) {
                if (Files.isDirectory(state)) {
                    try (Stream<Path> files = Files.walk(state)) {
                        boolean done =
                                files.filter(p -> p.getFileName().toString().equals("_metadata"))
                                        .anyMatch(
                                                p -> {
                                                    try {
                                                        return Files.getLastModifiedTime(p)
                                                                .toInstant()
                                                                .isAfter(started);
                                                    } catch (IOException gone) {
                                                        return false;
                                                    }
                                                });
                        if (done) {
                            return;
                        }
                    } catch (UncheckedIOException walkedWhileWritten) {
                        // a checkpoint directory went away while it was walked: look again
                    }
                }
                assertThat(process.isAlive())
                        .as("run exited: %s", Files.readString(output))
                        .isTrue();
                Thread.sleep(200);
            }
            throw new AssertionError("no checkpoint completed: " + Files.readString(output));
        }

        /** SIGKILL, as the OOM killer or a lost machine would. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}

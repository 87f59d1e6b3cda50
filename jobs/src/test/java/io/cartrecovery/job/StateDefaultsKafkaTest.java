package io.cartrecovery.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrecovery.config.Configs;
import io.cartrecovery.config.StateDefaults;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.testing.KafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state defaults of a local `run` (RocksDB, incremental checkpoints on disk, bounded memory,
 * Flink's default 5 s checkpoint interval and EXACTLY_ONCE) carry real state: the job is driven
 * past 50 MB of checkpointed state on a real broker, and no checkpoint fails and the job never
 * restarts. With Flink's own defaults every checkpoint failed past 5 MB and the job restarted in a
 * loop (issue 16). Then the job is cancelled and started again as `run` would: it resumes from the
 * retained checkpoint, and no contact task is created twice across the stop.
 */
class StateDefaultsKafkaTest {
    private static final long TARGET_STATE_BYTES =
            Long.getLong("state-defaults.target-mb", 50) * 1024 * 1024;
    private static final int CARTS_PER_BATCH = 10_000;
    private static final int MAX_BATCHES = 40;
    private static final Duration WAIT = Duration.ofMinutes(10);

    /**
     * A long model code of a cart line, as some stores put in product names (up to the
     * 500-character limit): different for every line, so it takes state even once RocksDB
     * compresses it.
     */
    private static String modelCode(int batch, int cart, int line) {
        SplittableRandom random =
                new SplittableRandom(((long) batch << 40) ^ ((long) cart << 8) ^ line);
        StringBuilder code = new StringBuilder(240);
        for (int k = 0; k < 240; k++) {
            code.append(Character.forDigit(random.nextInt(36), 36));
        }
        return code.toString();
    }

    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");

    @TempDir Path dir;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void defaultsCarryFiftyMegabytesOfStateWithoutFailedCheckpointsOrRestarts() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start()) {
            Map<String, String> settings = new HashMap<>();
            for (String topic :
                    List.of(
                            "contact-tasks",
                            "abandoned-carts",
                            "clickstream-dlq",
                            "customer-profiles",
                            "agents",
                            "alerts",
                            "contact-outcomes",
                            "task-events")) {
                kafka.createTopic(topic, 1);
            }
            kafka.createTopic("clickstream", 2);
            settings.put("kafka.bootstrap-servers", kafka.bootstrapServers());
            settings.put("kafka.group-id", "state-defaults");
            settings.put("delivery.transactional-id-prefix", "state-defaults");
            // Exactly what `run` does on this machine: the defaults, then the local ones.
            Configuration config =
                    StateDefaults.forLocalRun(
                            StateDefaults.forAnyRun(Configs.load(null, settings)),
                            dir.resolve("checkpoints"));
            Instant deadline = Instant.now().plus(WAIT);

            Run first = Run.start(config);
            Instant next = T0;
            int batches = 0;
            try {
                long stateBytes = 0;
                // At least two batches: the first carts are abandoned only once event time has
                // passed their gap, and tasks must exist before the stop.
                while ((stateBytes < TARGET_STATE_BYTES || batches < 2)
                        && batches < MAX_BATCHES
                        && Instant.now().isBefore(deadline)) {
                    next = sendBatch(kafka, batches++, next);
                    stateBytes = first.awaitCheckpoint(deadline);
                    System.out.printf(
                            "StateDefaultsKafkaTest: %d batches of %d carts, checkpointed state"
                                    + " %.1f MB, at %s%n",
                            batches, CARTS_PER_BATCH, stateBytes / 1e6, Instant.now());
                }
                assertThat(stateBytes)
                        .as("full state size of the latest completed checkpoint")
                        .isGreaterThan(TARGET_STATE_BYTES);
                // Two more checkpoints of that size, so the size itself is carried, not only met.
                first.awaitCheckpoint(deadline);
                first.awaitCheckpoint(deadline);
                first.assertNoFailedCheckpointsAndNoRestarts();
                // Tasks are out before the stop (first attempts wait for the idle outcomes topic
                // to stop holding event time back: ingest.idle-timeout).
                assertThat(
                                kafka.readUntil(
                                        "contact-tasks",
                                        records -> !records.isEmpty(),
                                        Duration.ofMinutes(2)))
                        .as("contact tasks before the stop")
                        .isNotEmpty();
            } finally {
                first.job.cancel().get();
            }

            // A stopped run leaves its last checkpoint; the next start resumes from it.
            Optional<Path> retained = StateDefaults.resumeFromLatest(config);
            assertThat(retained).as("a retained checkpoint").isPresent();
            Run second = Run.start(config);
            try {
                assertThat(second.counts().get("restored").asLong())
                        .as("restored from the retained checkpoint")
                        .isEqualTo(1);
                sendBatch(kafka, batches, next);
                second.awaitCheckpoint(deadline);
                second.assertNoFailedCheckpointsAndNoRestarts();
            } finally {
                second.job.cancel().get();
            }

            // The input is clean: the defaults lose nothing to the dead-letter topic.
            assertThat(read(kafka, "clickstream-dlq", Duration.ofSeconds(3)))
                    .as("dead letters")
                    .isEmpty();
            // Nothing doubled across the stop and the resume: one create per task and attempt.
            List<String> creates =
                    read(kafka, "contact-tasks", Duration.ofSeconds(10)).stream()
                            .map(StateDefaultsKafkaTest::json)
                            .filter(task -> task.get("type").asText().equals("create"))
                            .map(task -> task.get("task_id").asText() + "#" + task.get("attempt"))
                            .toList();
            assertThat(creates).as("contact tasks created").isNotEmpty().doesNotHaveDuplicates();
            assertThat(files(dir.resolve("checkpoints")))
                    .as("checkpoints are on disk")
                    .anyMatch(path -> path.getFileName().toString().equals("_metadata"));
        }
    }

    /** One start of the job with the given configuration, and its REST API. */
    private static final class Run {
        final JobClient job;
        final String rest;
        final String jobId;

        /**
         * Checkpoints due while the job is still being deployed are not triggered, and Flink's
         * statistics count them as failed (they get no id and no history entry). What is asserted
         * is every checkpoint once the job runs.
         */
        final long failedWhileDeploying;

        private Run(JobClient job, String rest) throws Exception {
            this.job = job;
            this.rest = rest;
            this.jobId = job.getJobID().toHexString();
            this.failedWhileDeploying = awaitRunning();
        }

        static Run start(Configuration config) throws Exception {
            int restPort = freePort();
            Configuration flink = new Configuration(config);
            flink.set(RestOptions.PORT, restPort);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
            env.setParallelism(2);
            return new Run(StreamingJob.start(env, flink), "http://localhost:" + restPort);
        }

        /** Waits until every task runs; the checkpoints counted as failed until then. */
        private long awaitRunning() throws Exception {
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            while (Instant.now().isBefore(deadline)) {
                JsonNode details = get(rest + "/jobs/" + jobId);
                boolean running = details.get("state").asText().equals("RUNNING");
                for (JsonNode vertex : details.get("vertices")) {
                    running &= vertex.get("status").asText().equals("RUNNING");
                }
                if (running) {
                    return counts().get("failed").asLong();
                }
                Thread.sleep(200);
            }
            throw new AssertionError("the job did not start within 2 minutes");
        }

        /** Waits for the next checkpoint to complete; its full state size. */
        long awaitCheckpoint(Instant deadline) throws Exception {
            long before = counts().get("completed").asLong();
            while (Instant.now().isBefore(deadline)) {
                JsonNode checkpoints = get(rest + "/jobs/" + jobId + "/checkpoints");
                JsonNode latest = checkpoints.path("latest").path("completed");
                if (checkpoints.get("counts").get("completed").asLong() > before
                        && latest.isObject()) {
                    return latest.get("state_size").asLong();
                }
                Thread.sleep(500);
            }
            throw new AssertionError("no checkpoint completed in time");
        }

        void assertNoFailedCheckpointsAndNoRestarts() throws Exception {
            assertThat(counts().get("failed").asLong())
                    .as("failed checkpoints: %s", failures())
                    .isEqualTo(failedWhileDeploying);
            assertThat(restarts()).as("job restarts").isZero();
        }

        JsonNode counts() throws Exception {
            return get(rest + "/jobs/" + jobId + "/checkpoints").get("counts");
        }

        /** Why checkpoints failed, from the job's checkpoint history. */
        private List<String> failures() throws Exception {
            List<String> failures = new ArrayList<>();
            JsonNode checkpoints = get(rest + "/jobs/" + jobId + "/checkpoints");
            failures.add("latest failed: " + checkpoints.path("latest").path("failed"));
            for (JsonNode checkpoint : checkpoints.get("history")) {
                if (!checkpoint.get("status").asText().equals("COMPLETED")) {
                    failures.add(
                            checkpoint.get("id")
                                    + " "
                                    + checkpoint.get("status").asText()
                                    + ": "
                                    + checkpoint.path("failure_message").asText());
                }
            }
            return failures;
        }

        private long restarts() throws Exception {
            // The REST metric store fetches on demand: the first answers may be empty.
            JsonNode metrics = get(rest + "/jobs/" + jobId + "/metrics?get=numRestarts");
            for (int tries = 0; metrics.isEmpty() && tries < 40; tries++) {
                Thread.sleep(250);
                metrics = get(rest + "/jobs/" + jobId + "/metrics?get=numRestarts");
            }
            assertThat(metrics.size()).as("numRestarts metric").isEqualTo(1);
            return metrics.get(0).get("value").asLong();
        }
    }

    private static List<String> read(KafkaBroker kafka, String topic, Duration during) {
        return kafka.readUntil(topic, records -> false, during).stream()
                .map(record -> new String(record.value(), StandardCharsets.UTF_8))
                .toList();
    }

    private static JsonNode json(String text) {
        try {
            return ClickEventJson.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(text, e);
        }
    }

    /**
     * One batch of carts, each a few add-to-carts and a checkout a second apart, carts 40 ms apart
     * in event time, in event-time order per partition (a cart stays on one partition): they are
     * abandoned, enriched and followed up as event time passes, so every operator holds state.
     * Every tenth customer has a profile with consent to every channel, sent before the batch's
     * events, so their carts are contactable and get contact tasks (the others stay abandoned-cart
     * facts, without follow-up state). Product names are long, as some stores write them (up to the
     * 500-character limit), so the carts alone carry enough state to pass the target in the test's
     * time.
     */
    private static Instant sendBatch(KafkaBroker kafka, int batch, Instant start) {
        List<List<byte[]>> partitions = List.of(new ArrayList<>(), new ArrayList<>());
        List<Map.Entry<Instant, ObjectNode>> events = new ArrayList<>();
        Instant last = start;
        for (int i = 0; i < CARTS_PER_BATCH; i++) {
            String cart = "b" + batch + "-c" + i;
            Instant opened = start.plusMillis(40L * i);
            for (int step = 0; step < 5; step++) {
                Instant at = opened.plusSeconds(step);
                ObjectNode event = ClickEventJson.MAPPER.createObjectNode();
                event.put("event_id", cart + "-e" + step);
                event.put("type", step < 4 ? "add_to_cart" : "checkout_start");
                event.put("store_id", "shop-" + (i % 7));
                event.put("event_time", at.toString());
                event.put("cart_id", cart);
                event.put("customer_id", "customer-" + batch + "-" + i);
                event.put("session_id", "session-" + cart);
                event.put("currency", "EUR");
                if (step < 4) {
                    ArrayNode items = event.putArray("items");
                    for (int line = 0; line < 2; line++) {
                        ObjectNode item = items.addObject();
                        item.put("product_id", "product-" + ((i * 7 + step * 2 + line) % 5_000));
                        item.put(
                                "name",
                                "Organic cotton shirt with a long product name as stores write"
                                        + " them, slim fit, size M, colour "
                                        + (step * 2 + line)
                                        + ", "
                                        + modelCode(batch, i, step * 2 + line));
                        item.put("quantity", 1 + line);
                        item.put("price", (10 + i % 90) + ".90");
                    }
                }
                events.add(Map.entry(at, event));
                if (at.isAfter(last)) {
                    last = at;
                }
            }
        }
        List<byte[]> profiles = new ArrayList<>();
        for (int i = 0; i < CARTS_PER_BATCH; i += 10) {
            profiles.add(
                    ("{\"store_id\":\"shop-"
                                    + (i % 7)
                                    + "\",\"customer_id\":\"customer-"
                                    + batch
                                    + "-"
                                    + i
                                    + "\",\"phone\":\"+34612345678\","
                                    + "\"email\":\"shopper@example.com\","
                                    + "\"consent\":{\"call\":{\"granted\":true},"
                                    + "\"whatsapp\":{\"granted\":true},"
                                    + "\"sms\":{\"granted\":true},"
                                    + "\"email\":{\"granted\":true}}}")
                            .getBytes(StandardCharsets.UTF_8));
        }
        kafka.send("customer-profiles", 0, profiles);
        events.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
        for (Map.Entry<Instant, ObjectNode> event : events) {
            String cart = event.getValue().get("cart_id").asText();
            partitions
                    .get(Math.floorMod(cart.hashCode(), 2))
                    .add(event.getValue().toString().getBytes(StandardCharsets.UTF_8));
        }
        kafka.send("clickstream", 0, partitions.get(0));
        kafka.send("clickstream", 1, partitions.get(1));
        return last.plusSeconds(1);
    }

    private static JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString());
        return ClickEventJson.MAPPER.readTree(response.body());
    }

    private static List<Path> files(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

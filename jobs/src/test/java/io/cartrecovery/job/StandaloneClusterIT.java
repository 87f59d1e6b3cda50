package io.cartrecovery.job;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.Events.purchase;
import static io.cartrecovery.testing.ReplayRun.clockAt;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.testing.FlinkSessionCluster;
import io.cartrecovery.testing.KafkaBroker;
import io.cartrecovery.testing.Schemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.curator.test.TestingServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster jar on a real standalone Flink session cluster: a JobManager and two TaskManager
 * processes from Flink's Maven artifacts (module local-flink), the jar uploaded and run through the
 * REST API as an operator would, at parallelism 2, against a real Kafka broker. An integration test
 * (failsafe) because it needs the packaged jar.
 */
class StandaloneClusterIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String CLASSPATH = "local-flink/target/classpath.txt";

    // Kept when the test fails: the cluster's logs are in it.
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    /** The repository root: where the build wrote the cluster's classpath. */
    private static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(CLASSPATH))) {
                return p;
            }
        }
        throw new IllegalStateException(
                CLASSPATH
                        + " not found: build from the repository root"
                        + " (mvn verify builds local-flink before jobs)");
    }

    /** The jar `mvn package` builds for clusters; this test submits that very file. */
    private static Path clusterJar(Path root) throws IOException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> found =
                Files.newDirectoryStream(
                        root.resolve("jobs/target"), "cart-recovery-jobs-*-cluster.jar")) {
            found.forEach(jars::add);
        }
        if (jars.size() != 1) {
            throw new IllegalStateException(
                    "expected one jobs/target/cart-recovery-jobs-*-cluster.jar, found "
                            + jars
                            + ": run this test with `mvn verify` (it packages the jar first)");
        }
        return jars.get(0);
    }

    /**
     * Three carts, keyed to partitions as producers should (a cart's events in one partition):
     * alice abandons hers; bob buys inside the gap; carol abandons hers, then buys (a cancel). Both
     * partitions carry events up to minute 30, so no source split has to go idle: at parallelism 2
     * a split that turns active again after idling can bring on-time events to the tracker behind
     * its watermark, where they count as late and a cart's outcome can change.
     */
    private static Map<Integer, List<byte[]>> scenario() {
        return Map.of(
                0,
                bytes(
                        add("p1", 2, "19.90").customer("alice").atMinute(0).json(),
                        add("p1", 1, "5.00").customer("bob").atMinute(0).json(),
                        purchase().customer("bob").atMinute(4).json(),
                        clockAt(12),
                        clockAt(30)),
                1,
                bytes(
                        add("p9", 1, "99.99").customer("carol").atMinute(1).json(),
                        clockAt(12),
                        purchase().customer("carol").orderId("order-carol").atMinute(20).json(),
                        clockAt(30)));
    }

    /** A profile with a phone, an e-mail address and consent to every channel. */
    private static String profile(String customer) {
        return "{\"store_id\":\"shop-1\",\"customer_id\":\""
                + customer
                + "\",\"phone\":\"+34612345678\",\"email\":\"shopper@example.com\","
                + "\"consent\":{\"call\":{\"granted\":true},\"whatsapp\":{\"granted\":true},"
                + "\"sms\":{\"granted\":true},\"email\":{\"granted\":true}}}";
    }

    private static List<byte[]> bytes(String... lines) {
        return Arrays.stream(lines).map(line -> line.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Test
    void clusterJarRunsAtParallelismTwoAcrossTwoTaskManagers() throws Exception {
        Path root = root();
        Path jar = clusterJar(root);
        try (KafkaBroker kafka = KafkaBroker.start();
                FlinkSessionCluster flink =
                        FlinkSessionCluster.start(
                                root.resolve(CLASSPATH), dir.resolve("flink"), 2)) {
            Map<String, String> settings = jobSettings(kafka);
            createTopics(kafka);
            kafka.send(
                    "customer-profiles",
                    0,
                    bytes(profile("alice"), profile("bob"), profile("carol")));

            String jobId = submit(flink, jar, settings, 2);
            List<JsonNode> tasks;
            try {
                JsonNode job = awaitRunning(flink, jobId);
                assertRunsOnBothTaskManagersAtParallelismTwo(flink, job);
                scenario()
                        .forEach(
                                (partition, records) ->
                                        kafka.send("clickstream", partition, records));
                tasks =
                        kafka.readUntil("contact-tasks", r -> r.size() >= 3, WAIT).stream()
                                .map(r -> json(r.value()))
                                .toList();
            } finally {
                cancel(flink, jobId);
            }

            assertThat(tasks).hasSize(3);
            tasks.forEach(t -> Schemas.assertValid("contact-task.schema.json", t));
            assertThat(tasks.stream().map(t -> text(t, "type") + ":" + text(t, "customer_id")))
                    .containsExactlyInAnyOrder("create:alice", "create:carol", "cancel:carol");
            JsonNode carolCreate =
                    tasks.stream()
                            .filter(
                                    t ->
                                            text(t, "type").equals("create")
                                                    && text(t, "customer_id").equals("carol"))
                            .findFirst()
                            .orElseThrow();
            JsonNode carolCancel =
                    tasks.stream()
                            .filter(t -> text(t, "type").equals("cancel"))
                            .findFirst()
                            .orElseThrow();
            assertThat(carolCancel.get("task_id")).isEqualTo(carolCreate.get("task_id"));
            assertThat(text(carolCancel, "order_id")).isEqualTo("order-carol");
        }
    }

    /** Waits until the job and every one of its vertices run; fails early if the job failed. */
    /**
     * The JobManager killed (SIGKILL) while the job runs, and a new one started, as a supervisor
     * would: with ZooKeeper high availability (a real ZooKeeper server, Curator's test server) the
     * new JobManager takes the job over from its last completed checkpoint, the TaskManager finds
     * it, and the job goes on. A {@code read_committed} consumer sees one create per abandoned cart
     * from before and after the kill, and nothing twice.
     */
    @Test
    void aKilledJobManagerIsReplacedAndTheJobGoesOnFromItsLastCheckpoint() throws Exception {
        Path root = root();
        Path jar = clusterJar(root);
        try (TestingServer zooKeeper = new TestingServer(true);
                KafkaBroker kafka = KafkaBroker.start();
                FlinkSessionCluster flink =
                        FlinkSessionCluster.start(
                                root.resolve(CLASSPATH),
                                dir.resolve("flink"),
                                1,
                                Map.of(
                                        "high-availability.type",
                                        "zookeeper",
                                        "high-availability.zookeeper.quorum",
                                        zooKeeper.getConnectString(),
                                        "high-availability.storageDir",
                                        Files.createDirectories(dir.resolve("ha"))
                                                .toUri()
                                                .toString(),
                                        "high-availability.cluster-id",
                                        "cluster-it",
                                        // The killed leader's ZooKeeper session ends, and its
                                        // leadership with it, after this (60 s by default).
                                        "high-availability.zookeeper.client.session-timeout",
                                        "6000"))) {
            createTopics(kafka);
            kafka.send("customer-profiles", 0, bytes(profile("alice"), profile("dave")));
            String jobId = submit(flink, jar, jobSettings(kafka), 1);
            try {
                awaitRunning(flink, jobId);
                for (int partition = 0; partition < 2; partition++) {
                    kafka.send(
                            "clickstream",
                            partition,
                            bytes(
                                    partition == 0
                                            ? add("p1", 1, "19.90")
                                                    .customer("alice")
                                                    .atMinute(0)
                                                    .json()
                                            : clockAt(0),
                                    clockAt(12)));
                }
                assertThat(creates(kafka, 1)).containsExactly("alice");

                flink.killJobManager();
                flink.launchJobManager();
                awaitRunningAgain(flink, jobId);

                for (int partition = 0; partition < 2; partition++) {
                    kafka.send(
                            "clickstream",
                            partition,
                            bytes(
                                    partition == 1
                                            ? add("p9", 1, "49.00")
                                                    .customer("dave")
                                                    .atMinute(20)
                                                    .json()
                                            : clockAt(20),
                                    clockAt(32)));
                }
                assertThat(creates(kafka, 2)).containsExactlyInAnyOrder("alice", "dave");
                // A few checkpoints more, for a repeat still to come.
                Thread.sleep(3_000);
                assertThat(creates(kafka, Integer.MAX_VALUE))
                        .containsExactlyInAnyOrder("alice", "dave");
            } finally {
                cancel(flink, jobId);
            }
        }
    }

    /**
     * The customers of the first creates a read_committed consumer sees, once it sees {@code n}.
     */
    private static List<String> creates(KafkaBroker kafka, int n) {
        Duration wait = n == Integer.MAX_VALUE ? Duration.ofSeconds(3) : WAIT;
        return kafka
                .readUntil(
                        "contact-tasks",
                        records ->
                                records.stream().filter(StandaloneClusterIT::isCreate).count() >= n,
                        wait)
                .stream()
                .filter(StandaloneClusterIT::isCreate)
                .map(r -> text(json(r.value()), "customer_id"))
                .toList();
    }

    private static boolean isCreate(ConsumerRecord<byte[], byte[]> record) {
        return text(json(record.value()), "type").equals("create");
    }

    /** Until the job runs again: the REST API is down while no JobManager leads. */
    private static void awaitRunningAgain(FlinkSessionCluster flink, String jobId)
            throws Exception {
        Instant end = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(end)) {
            try {
                awaitRunning(flink, jobId);
                return;
            } catch (IOException | AssertionError notYet) {
                // No leader yet, the job not recovered yet, or still restarting.
                Thread.sleep(1_000);
            }
        }
        throw new AssertionError("job " + jobId + " not running again after " + WAIT);
    }

    /** The job's settings for these tests: EXACTLY_ONCE, half-second checkpoints, the topics. */
    private static Map<String, String> jobSettings(KafkaBroker kafka) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        settings.put("kafka.group-id", "cluster-it");
        settings.put("topic.clickstream", "clickstream");
        settings.put("topic.contact-tasks", "contact-tasks");
        settings.put("topic.abandoned-carts", "abandoned-carts");
        settings.put("topic.dead-letter", "clickstream-dlq");
        settings.put("delivery.guarantee", "EXACTLY_ONCE");
        settings.put("delivery.checkpoint-interval", "500ms");
        settings.put("delivery.transactional-id-prefix", "cluster-it");
        settings.put("ingest.out-of-orderness", "1s");
        // Time moves here with one "clock" visitor's events, a single cart jumping minutes ahead:
        // the bad-clock defence would rightly hold it (docs/time.md).
        settings.put("ingest.max-event-time-step", "3650d");
        // Only contactable carts get tasks: the shoppers' profiles (consent to every channel) are
        // on the topic before the job starts, and carts wait until the job has read them.
        return settings;
    }

    private static void createTopics(KafkaBroker kafka) throws Exception {
        kafka.createTopic("clickstream", 2);
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
    }

    /** Uploads the jar and runs `run` with the settings, as an operator would; the job id. */
    private static String submit(
            FlinkSessionCluster flink, Path jar, Map<String, String> settings, int parallelism)
            throws Exception {
        ObjectNode run = ClickEventJson.MAPPER.createObjectNode();
        ArrayNode args = run.putArray("programArgsList").add("run");
        settings.forEach((key, value) -> args.add("-D").add(key + "=" + value));
        run.put("parallelism", parallelism);
        String jarId = flink.uploadJar(jar);
        return flink.post("/jars/" + jarId + "/run", run).get("jobid").asText();
    }

    private static JsonNode awaitRunning(FlinkSessionCluster flink, String jobId) throws Exception {
        Instant end = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(end)) {
            JsonNode job = flink.get("/jobs/" + jobId);
            assertThat(text(job, "state"))
                    .as("job state; exceptions: %s", flink.get("/jobs/" + jobId + "/exceptions"))
                    .isIn("CREATED", "INITIALIZING", "RUNNING");
            boolean allRunning = true;
            for (JsonNode vertex : job.get("vertices")) {
                allRunning &= text(vertex, "status").equals("RUNNING");
            }
            if (text(job, "state").equals("RUNNING") && allRunning) {
                return job;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("job " + jobId + " was not running after " + WAIT);
    }

    /** Cancels the job unless it already ended, and waits until it has. */
    private static void cancel(FlinkSessionCluster flink, String jobId) throws Exception {
        Set<String> ended = Set.of("CANCELED", "FAILED", "FINISHED");
        if (!ended.contains(text(flink.get("/jobs/" + jobId), "state"))) {
            flink.cancel(jobId);
        }
        Instant end = Instant.now().plus(WAIT);
        while (!ended.contains(text(flink.get("/jobs/" + jobId), "state"))) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError(
                        "job " + jobId + " still running " + WAIT + " after cancel");
            }
            Thread.sleep(500);
        }
    }

    /**
     * Every vertex has two subtasks, and they run on both TaskManagers (one slot each, so two
     * subtasks of one vertex cannot share one); the reference-data sources have one reader.
     */
    private static void assertRunsOnBothTaskManagersAtParallelismTwo(
            FlinkSessionCluster flink, JsonNode job) throws Exception {
        Set<String> taskManagers = new TreeSet<>();
        for (JsonNode tm : flink.get("/taskmanagers").get("taskmanagers")) {
            taskManagers.add(text(tm, "id"));
            assertThat(tm.get("freeSlots").asInt()).as("free slots of " + tm.get("id")).isZero();
        }
        assertThat(taskManagers).hasSize(2);
        assertThat(job.get("vertices")).isNotEmpty();
        for (JsonNode vertex : job.get("vertices")) {
            String name = text(vertex, "name");
            if (name.startsWith("Source: customer profiles") || name.startsWith("Source: agents")) {
                // Reference data has one reader by design (ReferenceWatermarks).
                assertThat(vertex.get("parallelism").asInt()).as(name).isEqualTo(1);
                continue;
            }
            assertThat(vertex.get("parallelism").asInt()).as(name).isEqualTo(2);
            Set<String> used = new TreeSet<>();
            JsonNode detail =
                    flink.get("/jobs/" + text(job, "jid") + "/vertices/" + text(vertex, "id"));
            for (JsonNode subtask : detail.get("subtasks")) {
                used.add(text(subtask, "taskmanager-id"));
            }
            assertThat(used).as(text(vertex, "name")).isEqualTo(taskManagers);
        }
    }

    private static String text(JsonNode node, String field) {
        return node.get(field).asText();
    }

    private static JsonNode json(byte[] value) {
        try {
            return ClickEventJson.MAPPER.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

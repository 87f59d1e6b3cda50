package io.cartrecovery.job;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.Events.purchase;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrecovery.clickhouse.ClickHouseHttp;
import io.cartrecovery.clickhouse.Migrations;
import io.cartrecovery.clickhouse.SchemaMigrator;
import io.cartrecovery.config.ClickHouseOptions;
import io.cartrecovery.config.ClickHouseSettings;
import io.cartrecovery.config.Configs;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.events.EventType;
import io.cartrecovery.launch.LocalClickHouse;
import io.cartrecovery.launch.LocalKafka;
import io.cartrecovery.testing.Events;
import io.cartrecovery.testing.FlinkSessionCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost, nothing doubled, whatever breaks (issue 15, item 2). The cluster jar runs the whole
 * job, ClickHouse facts and KPI windows included, as compose runs it, on a standalone Flink cluster
 * whose classpath is the jars of a distribution's lib/ (module local-flink), against a Kafka broker
 * and a ClickHouse server that are processes of their own, so that each can be broken:
 *
 * <ul>
 *   <li>a TaskManager running the job is killed (SIGKILL) at seeded random points while the
 *       clickstream is being written, and a new one started, as a supervisor would;
 *   <li>the job is stopped with a savepoint and resumed from it at parallelism 1, then 2, then 1;
 *   <li>ClickHouse is stopped and started again on the same data while the job writes;
 *   <li>the Kafka broker is stopped and started again on the same data mid-run.
 * </ul>
 *
 * <p>The truth comes from the input alone: which carts are abandoned (no purchase within the gap),
 * when, worth how much, which get a cancel. A {@code read_committed} consumer must see exactly one
 * create per cart and attempt and one cancel per cart bought late, and exactly one dead letter per
 * broken line; ClickHouse's facts (through the {@code *_latest} views the boards read) and its KPI
 * windows, minute by minute, must equal the truth: 0 lost, 0 doubled.
 *
 * <p>In CI: one run of 240 carts, 3 kills, a 60 s ClickHouse outage (the issue's number) and a
 * broker down for 15 s (the job's idle timeout is 5 s here, so its splits are quiet long enough to
 * be taken for idle). The soak variant ({@code -Dcart-recovery.soak=true}; docs/RELIABILITY.md has
 * its figures) runs several seeded runs of more carts with more kills and a longer broker restart;
 * {@code -Dcart-recovery.fault-broker-restart}, {@code -Dcart-recovery.fault-seed}, {@code
 * -Dcart-recovery.fault-runs}, {@code -Dcart-recovery.fault-carts} and {@code
 * -Dcart-recovery.outage-seconds} choose others.
 */
class FaultToleranceIT {
    private static final boolean SOAK = Boolean.getBoolean("cart-recovery.soak");
    private static final long SEED = Long.getLong("cart-recovery.fault-seed", 20261207L);

    /**
     * The broker restart, on by default. It found the partition-idleness race (docs/RELIABILITY.md,
     * "Found by these tests"): a partition that reconnected later than the others after an outage
     * was taken for idle and passed by the watermark, so a purchase it still held came late and its
     * cart got a create. Partitions are idle only when caught up now ({@code PartitionIdleness}).
     */
    private static final boolean BROKER_RESTART =
            Boolean.parseBoolean(System.getProperty("cart-recovery.fault-broker-restart", "true"));

    private static final int RUNS = Integer.getInteger("cart-recovery.fault-runs", SOAK ? 3 : 1);
    private static final int CARTS =
            Integer.getInteger("cart-recovery.fault-carts", SOAK ? 1200 : 240);
    private static final int OUTAGE_SECONDS =
            Integer.getInteger("cart-recovery.outage-seconds", 60);
    private static final int KILLS_PER_PHASE = SOAK ? 2 : 1;

    /** How long the broker stays down at its restart: longer than {@link #IDLE_TIMEOUT_SECONDS}. */
    private static final int BROKER_DOWN_SECONDS =
            Integer.getInteger("cart-recovery.broker-down-seconds", SOAK ? 45 : 15);

    private static final int IDLE_TIMEOUT_SECONDS = 5;

    /** Parallelism of the three phases, joined by savepoints: rescaled up, then down. */
    private static final int[] PARALLELISM = {1, 2, 1};

    private static final int BATCHES = SOAK ? 60 : 24;
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final long SECOND = 1_000;
    private static final long MINUTE = 60_000;
    private static final long GAP = Events.GAP.toMillis();

    // Kept when the test fails: the cluster's, broker's and server's logs are in it.
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    /** One cart of the input, and what the truth says about it. */
    private record Cart(
            int index,
            long start,
            long lastActivity,
            BigDecimal value,
            Long purchasedAt,
            int partition) {
        String id() {
            return "c-" + index;
        }

        String customer() {
            return "u-" + index;
        }

        /** Not bought within the gap after its last activity. */
        boolean abandoned() {
            return purchasedAt == null || purchasedAt >= lastActivity + GAP;
        }

        boolean cancelled() {
            return abandoned() && purchasedAt != null;
        }
    }

    /** A record for the clickstream topic at an event time, in one partition. */
    private record Line(long time, int partition, String json) {}

    /** The seeded input: carts, the lines that make them, and the broken lines among them. */
    private static final class Traffic {
        final List<Cart> carts = new ArrayList<>();
        final List<Line> lines = new ArrayList<>();
        int broken;

        Traffic(Random random, int carts) {
            long t0 = Events.T0.toEpochMilli();
            for (int i = 0; i < carts; i++) {
                int partition = i % 2;
                long start = t0 + i * 10 * SECOND + random.nextInt(5_000);
                String cartId = "c-" + i;
                String customer = "u-" + i;
                // A cart line per product: an add of a product already in the cart adds its
                // quantity, and the newer unit price is the line's (CartState.change).
                Map<String, Integer> quantities = new HashMap<>();
                Map<String, BigDecimal> prices = new HashMap<>();
                long at = start;
                int items = 1 + random.nextInt(2);
                for (int k = 0; k < items; k++) {
                    int quantity = 1 + random.nextInt(2);
                    String price = (5 + random.nextInt(200)) + "." + (10 + random.nextInt(90));
                    String product = "p" + random.nextInt(30);
                    quantities.merge(product, quantity, Integer::sum);
                    prices.put(product, new BigDecimal(price));
                    lines.add(
                            new Line(
                                    at,
                                    partition,
                                    add(product, quantity, price)
                                            .cart(cartId)
                                            .customer(customer)
                                            .at(at)
                                            .json()));
                    if (k + 1 < items) {
                        at += 1_000 + random.nextInt(3_000);
                    }
                }
                BigDecimal value = BigDecimal.ZERO;
                for (Map.Entry<String, Integer> line : quantities.entrySet()) {
                    value =
                            value.add(
                                    prices.get(line.getKey())
                                            .multiply(BigDecimal.valueOf(line.getValue())));
                }
                Long purchasedAt =
                        switch (random.nextInt(5)) {
                            case 0 -> at + 2 * MINUTE; // inside the gap: never abandoned
                            case 1 -> at + GAP + 5 * MINUTE; // after the gap: a cancel
                            default -> null;
                        };
                if (purchasedAt != null) {
                    lines.add(
                            new Line(
                                    purchasedAt,
                                    partition,
                                    purchase()
                                            .cart(cartId)
                                            .customer(customer)
                                            .orderId("o-" + i)
                                            .at(purchasedAt)
                                            .json()));
                }
                this.carts.add(new Cart(i, start, at, value, purchasedAt, partition));
                if (i % 60 == 30) {
                    lines.add(new Line(at, partition, "{\"type\":\"add_to_cart\",\"broken\":"));
                    broken++;
                }
            }
            // Other shoppers browsing on both partitions: event time moves past the last cart's
            // gap, its purchase and the KPI windows' lateness.
            long last = lines.stream().mapToLong(Line::time).max().orElseThrow();
            for (long at = t0; at <= last + GAP + 15 * MINUTE; at += 20 * SECOND) {
                for (int partition = 0; partition < 2; partition++) {
                    lines.add(
                            new Line(
                                    at,
                                    partition,
                                    Events.event(EventType.PAGE_VIEW)
                                            .visitor("browser-" + partition + "-" + (at / MINUTE))
                                            .at(at)
                                            .json()));
                }
            }
            lines.sort((a, b) -> Long.compare(a.time(), b.time()));
        }

        List<Cart> abandoned() {
            return carts.stream().filter(Cart::abandoned).toList();
        }

        /**
         * Per minute (epoch millis of its start): carts abandoned (by last activity), their value,
         * tasks created (when the gap ran out), tasks cancelled (at the purchase), carts created
         * (at the first item).
         */
        Map<Long, List<String>> kpiMinutes() {
            Map<Long, long[]> counts = new TreeMap<>();
            Map<Long, BigDecimal> values = new TreeMap<>();
            for (Cart cart : carts) {
                counts.computeIfAbsent(minuteOf(cart.start()), m -> new long[4])[3]++;
            }
            for (Cart cart : abandoned()) {
                long minute = minuteOf(cart.lastActivity());
                counts.computeIfAbsent(minute, m -> new long[4])[0]++;
                values.merge(minute, cart.value(), BigDecimal::add);
                counts.computeIfAbsent(minuteOf(cart.lastActivity() + GAP), m -> new long[4])[1]++;
                if (cart.cancelled()) {
                    counts.computeIfAbsent(minuteOf(cart.purchasedAt()), m -> new long[4])[2]++;
                }
            }
            Map<Long, List<String>> minutes = new TreeMap<>();
            counts.forEach(
                    (minute, c) ->
                            minutes.put(
                                    minute,
                                    List.of(
                                            String.valueOf(c[0]),
                                            values.getOrDefault(minute, BigDecimal.ZERO)
                                                    .stripTrailingZeros()
                                                    .toPlainString(),
                                            String.valueOf(c[1]),
                                            String.valueOf(c[2]),
                                            String.valueOf(c[3]))));
            return minutes;
        }

        private static long minuteOf(long millis) {
            return millis - Math.floorMod(millis, MINUTE);
        }
    }

    /** Figures of one run, for docs/RELIABILITY.md. */
    private record Figures(int kills, int records, int lost, int doubled) {}

    @Test
    void killsSavepointsRescalingAndOutagesLoseAndDoubleNothing() throws Exception {
        Path root = root();
        Path jar = clusterJar(root);
        int kafkaPort = freePortPair();
        Path kafkaData = dir.resolve("kafka");
        Path kafkaClasspath = root.resolve("local-kafka/target/classpath.txt");
        int clickHouseHttp = freePort();
        int clickHouseTcp = freePort();
        Path clickHouseData = dir.resolve("clickhouse");
        LocalKafka[] kafka = {LocalKafka.start(kafkaClasspath, kafkaData, kafkaPort)};
        LocalClickHouse[] clickHouse = {
            LocalClickHouse.start(clickHouseData, clickHouseHttp, clickHouseTcp)
        };
        int kills = 0;
        int records = 0;
        try (FlinkSessionCluster flink =
                FlinkSessionCluster.start(
                        root.resolve("local-flink/target/classpath.txt"),
                        dir.resolve("flink"),
                        2)) {
            String jarId = flink.uploadJar(jar);
            for (int run = 0; run < RUNS; run++) {
                Random random = new Random(SEED + run);
                Figures figures;
                try {
                    figures =
                            run(
                                    "r" + run,
                                    random,
                                    flink,
                                    jarId,
                                    kafka,
                                    () -> LocalKafka.start(kafkaClasspath, kafkaData, kafkaPort),
                                    clickHouse,
                                    () ->
                                            LocalClickHouse.start(
                                                    clickHouseData, clickHouseHttp, clickHouseTcp));
                } catch (Exception | AssertionError e) {
                    // What the broker and the JobManager said is the first thing to read when a
                    // send, a read or a savepoint fails.
                    throw new AssertionError(
                            e
                                    + "\n--- the broker's log, last lines ---\n"
                                    + tail(kafkaData.resolve("broker.log"), 60)
                                    + "\n--- the JobManager's log, last lines ---\n"
                                    + tail(dir.resolve("flink/jobmanager.log"), 80),
                            e);
                }
                kills += figures.kills();
                records += figures.records();
                System.out.printf(
                        "FAULTS run %d seed %d: %d carts, %d kills, %d records tried, %d lost,"
                                + " %d doubled%n",
                        run,
                        SEED + run,
                        CARTS,
                        figures.kills(),
                        figures.records(),
                        figures.lost(),
                        figures.doubled());
            }
        } finally {
            kafka[0].close();
            clickHouse[0].close();
        }
        System.out.printf(
                "FAULTS total: %d runs, %d kills, %d records tried, 0 lost, 0 doubled%n",
                RUNS, kills, records);
    }

    private interface Starter<T> {
        T start() throws Exception;
    }

    private Figures run(
            String name,
            Random random,
            FlinkSessionCluster flink,
            String jarId,
            LocalKafka[] kafka,
            Starter<LocalKafka> restartKafka,
            LocalClickHouse[] clickHouse,
            Starter<LocalClickHouse> restartClickHouse)
            throws Exception {
        Traffic traffic = new Traffic(random, CARTS);
        Topics topics = new Topics(name);
        kafka[0].createTopics(topics.partitions(), Set.of(topics.profiles, topics.agents));
        // Keyed by store and customer, as the compacted profile topic requires (docs/profiles.md).
        Map<String, byte[]> profiles = new LinkedHashMap<>();
        traffic.carts.forEach(
                c -> profiles.put(Events.STORE + "/" + c.customer(), bytes(profile(c.customer()))));
        send(kafka[0].bootstrapServers(), topics.profiles, 0, profiles);

        String database = "faults_" + name;
        ClickHouseSettings clickHouseSettings = clickHouseSettings(clickHouse[0].url(), database);
        new SchemaMigrator(new ClickHouseHttp(clickHouseSettings), database)
                .apply(Migrations.bundled());

        Map<String, String> settings = topics.settings(kafka[0].bootstrapServers());
        settings.put(ClickHouseOptions.URL.key(), clickHouse[0].url());
        settings.put(ClickHouseOptions.DATABASE.key(), database);
        settings.put(ClickHouseOptions.RETRY_BACKOFF.key(), "500ms");
        settings.put(ClickHouseOptions.RETRY_TIMEOUT.key(), (OUTAGE_SECONDS + 120) + "s");
        // Shorter than the broker's time away, so every split is quiet long enough to be taken for
        // idle while the broker is down, and the one whose reader reconnects last is the race of
        // docs/time.md, "Idle inputs".
        settings.put("ingest.idle-timeout", IDLE_TIMEOUT_SECONDS + "s");

        // The plan: three phases at parallelism 1, 2, 1, joined by savepoints; kills at seeded
        // batches of every phase; the ClickHouse outage and the broker restart in the middle one.
        int phase = BATCHES / 3;
        Map<Integer, String> plan = new TreeMap<>();
        for (int p = 0; p < 3; p++) {
            for (int k = 0; k < KILLS_PER_PHASE; k++) {
                plan.merge(p * phase + 1 + random.nextInt(phase - 2), "kill", (a, b) -> a);
            }
        }
        plan.put(phase, "savepoint, resume at " + PARALLELISM[1]);
        plan.put(2 * phase, "savepoint, resume at " + PARALLELISM[2]);
        plan.put(phase + 1 + random.nextInt(phase / 2 - 1), "clickhouse outage");
        if (BROKER_RESTART) {
            plan.put(phase + phase / 2 + random.nextInt(phase / 2 - 1), "kafka restart");
        }

        Instant started = Instant.now();
        String jobId = submit(flink, jarId, settings, PARALLELISM[0], null);
        awaitRunning(flink, jobId);
        int kills = 0;
        int perBatch = (traffic.lines.size() + BATCHES - 1) / BATCHES;
        for (int batch = 0; batch < BATCHES; batch++) {
            List<Line> lines =
                    traffic.lines.subList(
                            Math.min(batch * perBatch, traffic.lines.size()),
                            Math.min((batch + 1) * perBatch, traffic.lines.size()));
            for (int partition = 0; partition < 2; partition++) {
                int p = partition;
                send(
                        kafka[0].bootstrapServers(),
                        topics.clickstream,
                        p,
                        lines.stream()
                                .filter(l -> l.partition() == p)
                                .map(l -> bytes(l.json()))
                                .toList());
            }
            String action = plan.get(batch);
            // A random moment while the batch is being processed.
            Thread.sleep(random.nextInt(1_500));
            if (action == null) {
                continue;
            }
            System.out.printf(
                    "FAULTS %s batch %d at %ds: %s%n",
                    name, batch, Duration.between(started, Instant.now()).toSeconds(), action);
            if (action.startsWith("savepoint")) {
                String savepoint =
                        stopWithSavepoint(flink, jobId, dir.resolve("savepoints-" + name));
                int parallelism = Integer.parseInt(action.substring(action.length() - 1));
                jobId = submit(flink, jarId, settings, parallelism, savepoint);
                awaitRunning(flink, jobId);
                continue;
            }
            switch (action) {
                case "kill" -> {
                    String victim = runningTaskManager(flink, jobId, random);
                    flink.killTaskManager(victim);
                    flink.launchTaskManager();
                    kills++;
                }
                case "clickhouse outage" -> {
                    clickHouse[0].close();
                    Instant back = Instant.now().plusSeconds(OUTAGE_SECONDS);
                    // The clickstream goes on while ClickHouse is away.
                    while (Instant.now().isBefore(back) && batch + 1 < BATCHES) {
                        if (plan.containsKey(batch + 1)) {
                            break;
                        }
                        batch++;
                        int from = Math.min(batch * perBatch, traffic.lines.size());
                        int to = Math.min((batch + 1) * perBatch, traffic.lines.size());
                        for (int partition = 0; partition < 2; partition++) {
                            int p = partition;
                            send(
                                    kafka[0].bootstrapServers(),
                                    topics.clickstream,
                                    p,
                                    traffic.lines.subList(from, to).stream()
                                            .filter(l -> l.partition() == p)
                                            .map(l -> bytes(l.json()))
                                            .toList());
                        }
                        Thread.sleep(1_000);
                    }
                    long left = Duration.between(Instant.now(), back).toMillis();
                    if (left > 0) {
                        Thread.sleep(left);
                    }
                    clickHouse[0] = restartClickHouse.start();
                }
                case "kafka restart" -> {
                    kafka[0].close();
                    Thread.sleep(TimeUnit.SECONDS.toMillis(BROKER_DOWN_SECONDS));
                    kafka[0] = restartKafka.start();
                }
                default -> throw new IllegalStateException(action);
            }
        }

        // What a dialer reads, and what the boards read.
        List<JsonNode> tasks = new ArrayList<>();
        List<JsonNode> deadLetters = new ArrayList<>();
        Map<Long, List<String>> kpis = Map.of();
        Map<String, String> abandonedInClickHouse = Map.of();
        long tasksInClickHouse = 0;
        List<Cart> abandoned = traffic.abandoned();
        long cancels = abandoned.stream().filter(Cart::cancelled).count();
        Map<Long, List<String>> kpiTruth = traffic.kpiMinutes();
        Instant end = Instant.now().plus(WAIT);
        try {
            while (Instant.now().isBefore(end)) {
                tasks = readCommitted(kafka[0].bootstrapServers(), topics.tasks);
                deadLetters = readCommitted(kafka[0].bootstrapServers(), topics.deadLetters);
                ClickHouseHttp http = new ClickHouseHttp(clickHouseSettings);
                abandonedInClickHouse = abandonedCarts(http, database);
                tasksInClickHouse = count(http, database, "contact_tasks_latest");
                kpis = kpiMinutes(http, database);
                if (tasks.size() >= abandoned.size() + cancels
                        && deadLetters.size() >= traffic.broken
                        && abandonedInClickHouse.size() >= abandoned.size()
                        && tasksInClickHouse >= abandoned.size() + cancels
                        && kpis.equals(kpiTruth)) {
                    break;
                }
                Thread.sleep(2_000);
            }
        } finally {
            System.out.printf(
                    "FAULTS %s all written or given up at %ds%n",
                    name, Duration.between(started, Instant.now()).toSeconds());
            cancel(flink, jobId);
        }

        // Kafka: one create per cart and attempt, one cancel per cart bought late.
        Map<String, Integer> creates = new TreeMap<>();
        Map<String, Integer> cancelsSeen = new TreeMap<>();
        for (JsonNode task : tasks) {
            String key = task.get("cart_id").asText() + "#" + task.get("attempt").asInt();
            (task.get("type").asText().equals("create") ? creates : cancelsSeen)
                    .merge(key, 1, Integer::sum);
        }
        Map<String, Integer> expectedCreates = new TreeMap<>();
        Map<String, Integer> expectedCancels = new TreeMap<>();
        for (Cart cart : abandoned) {
            expectedCreates.put(cart.id() + "#1", 1);
            if (cart.cancelled()) {
                expectedCancels.put(cart.id() + "#1", 1);
            }
        }
        int lost =
                missing(expectedCreates, creates)
                        + missing(expectedCancels, cancelsSeen)
                        + Math.max(0, traffic.broken - deadLetters.size());
        int doubled =
                extra(expectedCreates, creates)
                        + extra(expectedCancels, cancelsSeen)
                        + Math.max(0, deadLetters.size() - traffic.broken);
        assertThat(creates)
                .as("creates per cart and attempt (read_committed)")
                .isEqualTo(expectedCreates);
        assertThat(cancelsSeen)
                .as("cancels per cart and attempt (read_committed)")
                .isEqualTo(expectedCancels);
        assertThat(deadLetters).as("one dead letter per broken line").hasSize(traffic.broken);

        // ClickHouse: the facts the boards read, and the KPI windows minute by minute.
        Map<String, String> expectedAbandoned = new TreeMap<>();
        abandoned.forEach(
                c ->
                        expectedAbandoned.put(
                                c.id(), Instant.ofEpochSecond(c.lastActivity() / 1_000) + ""));
        assertThat(abandonedInClickHouse)
                .as("abandoned carts in ClickHouse, with their abandoned_at")
                .isEqualTo(expectedAbandoned);
        assertThat(tasksInClickHouse)
                .as("contact tasks in ClickHouse")
                .isEqualTo(abandoned.size() + cancels);
        assertThat(kpis).as("kpi_minute, minute by minute").isEqualTo(kpiTruth);
        return new Figures(
                kills, traffic.lines.size() + creates.size() + cancelsSeen.size(), lost, doubled);
    }

    private static int missing(Map<String, Integer> expected, Map<String, Integer> actual) {
        return (int) expected.keySet().stream().filter(k -> !actual.containsKey(k)).count();
    }

    private static int extra(Map<String, Integer> expected, Map<String, Integer> actual) {
        int extra = 0;
        for (Map.Entry<String, Integer> e : actual.entrySet()) {
            extra += e.getValue() - (expected.containsKey(e.getKey()) ? 1 : 0);
        }
        return extra;
    }

    /** A TaskManager the job runs on, chosen by the seed. */
    private static String runningTaskManager(FlinkSessionCluster flink, String jobId, Random random)
            throws Exception {
        JsonNode job = awaitRunning(flink, jobId);
        Set<String> used = new TreeSet<>();
        for (JsonNode vertex : job.get("vertices")) {
            JsonNode detail = flink.get("/jobs/" + jobId + "/vertices/" + text(vertex, "id"));
            for (JsonNode subtask : detail.get("subtasks")) {
                used.add(flink.taskManagerNamed(text(subtask, "taskmanager-id")));
            }
        }
        List<String> candidates = new ArrayList<>(used);
        return candidates.get(random.nextInt(candidates.size()));
    }

    /** Topic names and settings of one run, as compose's job has them, with all its topics. */
    private static final class Topics {
        final String clickstream;
        final String tasks;
        final String abandoned;
        final String deadLetters;
        final String profiles;
        final String agents;
        final String alerts;
        final String outcomes;
        final String taskEvents;
        final String prefix;

        Topics(String prefix) {
            this.prefix = prefix;
            clickstream = prefix + "-clickstream";
            tasks = prefix + "-contact-tasks";
            abandoned = prefix + "-abandoned-carts";
            deadLetters = prefix + "-clickstream-dlq";
            profiles = prefix + "-customer-profiles";
            agents = prefix + "-agents";
            alerts = prefix + "-alerts";
            outcomes = prefix + "-contact-outcomes";
            taskEvents = prefix + "-task-events";
        }

        Map<String, Integer> partitions() {
            Map<String, Integer> partitions = new LinkedHashMap<>();
            partitions.put(clickstream, 2);
            for (String topic :
                    List.of(
                            tasks,
                            abandoned,
                            deadLetters,
                            profiles,
                            agents,
                            alerts,
                            outcomes,
                            taskEvents)) {
                partitions.put(topic, 1);
            }
            return partitions;
        }

        Map<String, String> settings(String bootstrapServers) {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("kafka.bootstrap-servers", bootstrapServers);
            settings.put("kafka.group-id", prefix);
            settings.put("topic.clickstream", clickstream);
            settings.put("topic.contact-tasks", tasks);
            settings.put("topic.abandoned-carts", abandoned);
            settings.put("topic.dead-letter", deadLetters);
            settings.put("topic.customer-profiles", profiles);
            settings.put("topic.agents", agents);
            settings.put("topic.alerts", alerts);
            settings.put("topic.contact-outcomes", outcomes);
            settings.put("topic.task-events", taskEvents);
            settings.put("delivery.guarantee", "EXACTLY_ONCE");
            settings.put("delivery.checkpoint-interval", "1s");
            settings.put("delivery.transactional-id-prefix", prefix);
            // Every abandoned cart is contacted, once: the truth is simple to state.
            settings.put("followup.holdout-share", "0");
            settings.put("followup.steps", "0m:call");
            // The shoppers' profiles are on their topic before the job starts.
            return settings;
        }
    }

    private static String submit(
            FlinkSessionCluster flink,
            String jarId,
            Map<String, String> settings,
            int parallelism,
            String savepoint)
            throws Exception {
        ObjectNode run = ClickEventJson.MAPPER.createObjectNode();
        ArrayNode args = run.putArray("programArgsList").add("run");
        settings.forEach((key, value) -> args.add("-D").add(key + "=" + value));
        run.put("parallelism", parallelism);
        if (savepoint != null) {
            run.put("savepointPath", savepoint);
        }
        return flink.post("/jars/" + jarId + "/run", run).get("jobid").asText();
    }

    /**
     * Waits until the job and every subtask of every vertex run; fails if the job failed. A
     * vertex's own status is RUNNING as soon as one of its subtasks runs, so the subtasks are
     * counted: a savepoint is refused while one of them is still being deployed or restored.
     */
    private static JsonNode awaitRunning(FlinkSessionCluster flink, String jobId) throws Exception {
        Instant end = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(end)) {
            JsonNode job = flink.get("/jobs/" + jobId);
            assertThat(text(job, "state"))
                    .as("job state; exceptions: %s", flink.get("/jobs/" + jobId + "/exceptions"))
                    .isIn("CREATED", "INITIALIZING", "RUNNING", "RESTARTING");
            boolean allRunning = true;
            for (JsonNode vertex : job.get("vertices")) {
                allRunning &=
                        vertex.path("tasks").path("RUNNING").asInt()
                                == vertex.get("parallelism").asInt();
            }
            if (text(job, "state").equals("RUNNING") && allRunning) {
                return job;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("job " + jobId + " was not running after " + WAIT);
    }

    /**
     * Stops the job with a savepoint once every subtask runs. A savepoint that cannot be taken (a
     * subtask failed again between the check and the trigger, e.g. a late notice of a killed
     * TaskManager) leaves the job running, and is tried again, as an operator would, at most three
     * times.
     */
    private static String stopWithSavepoint(FlinkSessionCluster flink, String jobId, Path target)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            awaitRunning(flink, jobId);
            try {
                return flink.stopWithSavepoint(jobId, target);
            } catch (AssertionError failed) {
                if (attempt == 3) {
                    throw failed;
                }
                System.out.printf(
                        "FAULTS savepoint attempt %d of %s not taken, again: %s%n",
                        attempt,
                        jobId,
                        failed.getMessage()
                                .substring(0, Math.min(300, failed.getMessage().length())));
            }
        }
    }

    private static void cancel(FlinkSessionCluster flink, String jobId) throws Exception {
        Set<String> ended = Set.of("CANCELED", "FAILED", "FINISHED");
        if (!ended.contains(text(flink.get("/jobs/" + jobId), "state"))) {
            flink.cancel(jobId);
        }
        Instant end = Instant.now().plus(WAIT);
        while (!ended.contains(text(flink.get("/jobs/" + jobId), "state"))
                && Instant.now().isBefore(end)) {
            Thread.sleep(500);
        }
    }

    private static ClickHouseSettings clickHouseSettings(String url, String database) {
        Map<String, String> settings = new HashMap<>();
        settings.put(ClickHouseOptions.URL.key(), url);
        settings.put(ClickHouseOptions.DATABASE.key(), database);
        return ClickHouseSettings.from(Configs.load(null, settings)).orElseThrow();
    }

    /** Cart id to abandoned_at (ISO), through the view the boards read; empty while unreachable. */
    private static Map<String, String> abandonedCarts(ClickHouseHttp http, String database) {
        Map<String, String> carts = new TreeMap<>();
        for (String line :
                query(
                        http,
                        database,
                        "SELECT cart_id, toUnixTimestamp(abandoned_at)"
                                + " FROM abandoned_carts_latest FORMAT TabSeparated")) {
            String[] fields = line.split("\t");
            carts.put(fields[0], Instant.ofEpochSecond(Long.parseLong(fields[1])) + "");
        }
        return carts;
    }

    private static long count(ClickHouseHttp http, String database, String view) {
        List<String> lines = query(http, database, "SELECT count() FROM " + view);
        return lines.isEmpty() ? 0 : Long.parseLong(lines.get(0).strip());
    }

    /** The KPI windows as the boards read them, summed over stage, reason and currency. */
    private static Map<Long, List<String>> kpiMinutes(ClickHouseHttp http, String database) {
        Map<Long, List<String>> minutes = new TreeMap<>();
        for (String line :
                query(
                        http,
                        database,
                        "SELECT toUnixTimestamp(window_start), sum(carts_abandoned),"
                                + " toString(sum(abandoned_value)), sum(tasks_created),"
                                + " sum(tasks_cancelled), sum(carts_created) FROM kpi_minute_latest"
                                + " GROUP BY window_start"
                                + " FORMAT TabSeparated")) {
            String[] f = line.split("\t");
            minutes.put(
                    Long.parseLong(f[0]) * 1_000,
                    List.of(
                            f[1],
                            new BigDecimal(f[2]).stripTrailingZeros().toPlainString(),
                            f[3],
                            f[4],
                            f[5]));
        }
        return minutes;
    }

    private static List<String> query(ClickHouseHttp http, String database, String sql) {
        try {
            String body = http.execute(database, sql).strip();
            return body.isEmpty() ? List.of() : List.of(body.split("\n"));
        } catch (RuntimeException unreachable) {
            return List.of();
        }
    }

    private static String profile(String customer) {
        return "{\"store_id\":\"shop-1\",\"customer_id\":\""
                + customer
                + "\",\"phone\":\"+34612345678\",\"email\":\"shopper@example.com\","
                + "\"consent\":{\"call\":{\"granted\":true},\"whatsapp\":{\"granted\":true},"
                + "\"sms\":{\"granted\":true},\"email\":{\"granted\":true}}}";
    }

    private static void send(String bootstrap, String topic, int partition, List<byte[]> values)
            throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        values.forEach(v -> records.add(new ProducerRecord<>(topic, partition, null, v)));
        send(bootstrap, records);
    }

    private static void send(
            String bootstrap, String topic, int partition, Map<String, byte[]> valuesByKey)
            throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        valuesByKey.forEach(
                (k, v) -> records.add(new ProducerRecord<>(topic, partition, bytes(k), v)));
        send(bootstrap, records);
    }

    /** Sends and waits for every acknowledgement: a record the broker refuses fails the test. */
    private static void send(String bootstrap, List<ProducerRecord<byte[], byte[]>> records)
            throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> record : records) {
                sent.add(producer.send(record));
            }
            for (Future<RecordMetadata> ack : sent) {
                ack.get();
            }
        }
    }

    /** Everything committed on a topic so far, as a dialer with read_committed reads it. */
    private static List<JsonNode> readCommitted(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<JsonNode> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Predicate<KafkaConsumer<byte[], byte[]>> done =
                    c -> partitions.stream().allMatch(p -> c.position(p) >= ends.get(p));
            Instant end = Instant.now().plusSeconds(30);
            while (!done.test(consumer) && Instant.now().isBefore(end)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    records.add(json(r.value()));
                }
            }
        }
        return records;
    }

    private static byte[] bytes(String line) {
        return line.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode json(byte[] value) {
        try {
            return ClickEventJson.MAPPER.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode node, String field) {
        return node.get(field).asText();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A free port whose next one is free too: the broker's controller takes it. */
    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    private static int freePortPair() throws IOException {
        for (int i = 0; i < 50; i++) {
            int port = freePort();
            try (ServerSocket next = new ServerSocket(port + 1)) {
                return next.getLocalPort() - 1;
            } catch (IOException taken) {
                // Try another.
            }
        }
        throw new IOException("no two free ports in a row");
    }

    private static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("local-flink/target/classpath.txt"))) {
                return p;
            }
        }
        throw new IllegalStateException("local-flink/target/classpath.txt not found: mvn verify");
    }

    private static Path clusterJar(Path root) throws IOException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> found =
                Files.newDirectoryStream(
                        root.resolve("jobs/target"), "cart-recovery-jobs-*-cluster.jar")) {
            found.forEach(jars::add);
        }
        assertThat(jars).as("the cluster jar (mvn verify packages it)").hasSize(1);
        return jars.get(0);
    }
}

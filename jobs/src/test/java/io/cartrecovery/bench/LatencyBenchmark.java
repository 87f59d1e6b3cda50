package io.cartrecovery.bench;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.config.Configs;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.events.EventType;
import io.cartrecovery.job.StreamingJob;
import io.cartrecovery.testing.KafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Detection-to-task latency of the production job, live: how long after a cart becomes detectable
 * its create task can be read from the contact-tasks topic, in both delivery modes.
 *
 * <p>Events carry the wall clock as event time, as live traffic does, so "detectable" is a wall
 * clock instant too: {@code abandoned_at + gap}. The job cannot know a cart is quiet before the
 * watermark passes that instant, and the watermark trails the newest event by the out-of-orderness
 * bound, so the bound is a floor every mode pays; the table shows the latency with and without it.
 * A steady page_view heartbeat on every partition keeps the watermark moving, as real traffic
 * would; without it the last carts would wait for the idle timeout instead.
 *
 * <p>Measures, never judges timing: it asserts only that every cart got exactly one create task.
 * Run with {@code mvn -B -pl jobs test -Dtest=LatencyBenchmark -Dtest.excludedGroups=
 * -Dgroups=benchmark}; results go to {@code jobs/target/benchmark/latency.md}.
 */
@Tag("benchmark")
class LatencyBenchmark {
    private static final int CARTS = 400;
    private static final Duration CART_SPACING = Duration.ofMillis(100);
    private static final Duration HEARTBEAT = Duration.ofMillis(50);
    private static final int PARTITIONS = 2;
    private static final int PARALLELISM = 2;
    private static final Duration GAP = Duration.ofSeconds(2);
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(1);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    /** Heartbeats before the first cart, so job start-up is not measured as latency. */
    private static final Duration LEAD_IN = Duration.ofSeconds(3);

    /** Share of the first carts left out of the statistics (JIT and connection warm-up). */
    private static final double WARM_UP = 0.10;

    /** After the last task, how long to keep reading for duplicates (spans a few checkpoints). */
    private static final Duration SETTLE = Duration.ofSeconds(3);

    /**
     * Extra job settings for diagnostic runs, {@code -Dbench.settings=key=value,key=value} (e.g.
     * {@code pipeline.auto-watermark-interval=50ms}), to see which delay dominates. Listed in the
     * report, so a number is never mistaken for one of the default setup.
     */
    private static final Map<String, String> EXTRA_SETTINGS =
            parseSettings(System.getProperty("bench.settings", ""));

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path REPORT = Path.of("target", "benchmark", "latency.md");
    private static final AtomicInteger RUNS = new AtomicInteger();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARALLELISM)
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

    @Test
    void detectionToTaskLatencyInBothDeliveryModes() throws Exception {
        List<Result> results = new ArrayList<>();
        for (String guarantee : List.of("AT_LEAST_ONCE", "EXACTLY_ONCE")) {
            results.add(measure(guarantee));
        }

        String report = report(results);
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, report, StandardCharsets.UTF_8);
        System.out.println(report);

        // Correctness only: timing depends on the machine and is for the reader to judge.
        for (Result result : results) {
            assertThat(result.unexpected)
                    .as("%s: tasks other than one create per cart", result.guarantee)
                    .isEmpty();
            assertThat(result.createsPerCart)
                    .as("%s: create tasks per cart", result.guarantee)
                    .containsOnly(1);
        }
    }

    /** One job run with fresh topics: produce live traffic, read tasks, time each create task. */
    private Result measure(String guarantee) throws Exception {
        String prefix = "bench" + RUNS.incrementAndGet();
        String clickstream = prefix + "-clickstream";
        String tasks = prefix + "-contact-tasks";
        kafka.createTopic(clickstream, PARTITIONS);
        kafka.createTopic(tasks, 1);
        kafka.createTopic(prefix + "-abandoned-carts", 1);
        kafka.createTopic(prefix + "-clickstream-dlq", 1);
        kafka.createTopic(prefix + "-customer-profiles", 1);
        kafka.createTopic(prefix + "-agents", 1);
        kafka.createTopic(prefix + "-alerts", 1);
        kafka.createTopic(prefix + "-contact-outcomes", 1);
        kafka.createTopic(prefix + "-task-events", 1);
        Map<String, String> settings = new HashMap<>();
        settings.put("topic.customer-profiles", prefix + "-customer-profiles");
        settings.put("topic.agents", prefix + "-agents");
        settings.put("topic.alerts", prefix + "-alerts");
        settings.put("topic.contact-outcomes", prefix + "-contact-outcomes");
        settings.put("topic.task-events", prefix + "-task-events");
        // Every cart is contacted: the benchmark times each cart's first task.
        settings.put("followup.holdout-share", "0");
        settings.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        settings.put("kafka.group-id", prefix);
        settings.put("topic.clickstream", clickstream);
        settings.put("topic.contact-tasks", tasks);
        settings.put("topic.abandoned-carts", prefix + "-abandoned-carts");
        settings.put("topic.dead-letter", prefix + "-clickstream-dlq");
        settings.put("delivery.guarantee", guarantee);
        settings.put("delivery.checkpoint-interval", CHECKPOINT_INTERVAL.toMillis() + "ms");
        settings.put("delivery.transactional-id-prefix", prefix);
        settings.put("detection.gap", GAP.toMillis() + "ms");
        settings.put("ingest.out-of-orderness", OUT_OF_ORDERNESS.toMillis() + "ms");
        settings.put("ingest.idle-timeout", IDLE_TIMEOUT.toMillis() + "ms");
        settings.putAll(EXTRA_SETTINGS);

        Configuration config = Configs.load(null, settings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(PARALLELISM);
        JobClient job = StreamingJob.start(env, config);
        ScheduledExecutorService traffic = Executors.newScheduledThreadPool(2);
        try (KafkaProducer<byte[], byte[]> producer = producer();
                KafkaConsumer<byte[], byte[]> consumer = consumer(tasks)) {
            try {
                return run(guarantee, prefix, clickstream, job, traffic, producer, consumer);
            } finally {
                // Before the producer closes, so no heartbeat is sent to a closed producer.
                traffic.shutdownNow();
                traffic.awaitTermination(5, TimeUnit.SECONDS);
            }
        } finally {
            job.cancel().get();
        }
    }

    private Result run(
            String guarantee,
            String prefix,
            String clickstream,
            JobClient job,
            ScheduledExecutorService traffic,
            KafkaProducer<byte[], byte[]> producer,
            KafkaConsumer<byte[], byte[]> consumer)
            throws Exception {
        awaitRunning(job);
        Result result = new Result(guarantee);
        // Heartbeats on every partition: each source split then holds the watermark back
        // only by the bound, as under production traffic, and never goes idle.
        traffic.scheduleAtFixedRate(
                () -> {
                    for (int p = 0; p < PARTITIONS; p++) {
                        send(
                                producer,
                                clickstream,
                                p,
                                event(EventType.PAGE_VIEW)
                                        .visitor(prefix + "-hb-" + p)
                                        .at(System.currentTimeMillis())
                                        .json());
                    }
                },
                0,
                HEARTBEAT.toMillis(),
                TimeUnit.MILLISECONDS);
        AtomicInteger sent = new AtomicInteger();
        CountDownLatch allSent = new CountDownLatch(1);
        traffic.scheduleAtFixedRate(
                () -> {
                    int i = sent.getAndIncrement();
                    if (i >= CARTS) {
                        allSent.countDown();
                        return;
                    }
                    // Distinct customers: one cart each, spread over both partitions.
                    send(
                            producer,
                            clickstream,
                            i % PARTITIONS,
                            add("p" + i, 1, "9.99")
                                    .customer(customer(prefix, i))
                                    .at(System.currentTimeMillis())
                                    .json());
                },
                LEAD_IN.toMillis(),
                CART_SPACING.toMillis(),
                TimeUnit.MILLISECONDS);

        Instant deadline =
                Instant.now().plus(LEAD_IN).plus(CART_SPACING.multipliedBy(CARTS)).plus(WAIT);
        Instant settled = null;
        while (Instant.now().isBefore(settled == null ? deadline : settled)) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                result.add(record, System.currentTimeMillis(), prefix);
            }
            if (settled == null && allSent.getCount() == 0 && result.allCartsSeen()) {
                settled = Instant.now().plus(SETTLE);
            }
        }
        return result;
    }

    private static Map<String, String> parseSettings(String spec) {
        Map<String, String> settings = new TreeMap<>();
        for (String pair : spec.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        "bench.settings: expected key=value, got " + pair);
            }
            settings.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return settings;
    }

    private static String customer(String prefix, int i) {
        return prefix + "-customer-" + i;
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer, String topic, int partition, String json) {
        producer.send(
                new ProducerRecord<>(
                        topic, partition, null, json.getBytes(StandardCharsets.UTF_8)));
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // Send at once: a batching delay here would hold event time back and count as latency.
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Reads tasks as a dialer would: committed transactions only, from the start. */
    private static KafkaConsumer<byte[], byte[]> consumer(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A fetch returns as soon as data is there anyway; this only caps the poll granularity.
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions =
                consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static void awaitRunning(JobClient job) throws Exception {
        Instant end = Instant.now().plus(WAIT);
        while (job.getJobStatus().get() != JobStatus.RUNNING) {
            if (Instant.now().isAfter(end)) {
                throw new IllegalStateException("job not running after " + WAIT);
            }
            Thread.sleep(50);
        }
    }

    /** The create tasks of one run, with their timings. */
    private static final class Result {
        final String guarantee;
        final int[] createsPerCart = new int[CARTS];
        final List<String> unexpected = new ArrayList<>();

        /** Per measured cart: receive wall clock minus abandoned_at + gap. */
        final List<Long> latency = new ArrayList<>();

        /** Per measured cart: detected_at (wall clock in the tracker) minus abandoned_at + gap. */
        final List<Long> detection = new ArrayList<>();

        /** Per measured cart: receive wall clock minus detected_at. */
        final List<Long> delivery = new ArrayList<>();

        Result(String guarantee) {
            this.guarantee = guarantee;
        }

        void add(ConsumerRecord<byte[], byte[]> record, long receivedAt, String prefix)
                throws IOException {
            JsonNode task = ClickEventJson.MAPPER.readTree(record.value());
            String customer = task.path("customer_id").asText("");
            String marker = prefix + "-customer-";
            if (!task.path("type").asText().equals("create") || !customer.startsWith(marker)) {
                unexpected.add(task.toString());
                return;
            }
            int cart = Integer.parseInt(customer.substring(marker.length()));
            createsPerCart[cart]++;
            if (createsPerCart[cart] > 1 || cart < warmUpCarts()) {
                return;
            }
            long detectable = millis(task, "abandoned_at") + GAP.toMillis();
            long detectedAt = millis(task, "detected_at");
            latency.add(receivedAt - detectable);
            detection.add(detectedAt - detectable);
            delivery.add(receivedAt - detectedAt);
        }

        boolean allCartsSeen() {
            return Arrays.stream(createsPerCart).allMatch(n -> n > 0);
        }

        private static long millis(JsonNode task, String field) {
            return Instant.parse(task.get(field).asText()).toEpochMilli();
        }
    }

    private static int warmUpCarts() {
        return (int) Math.round(CARTS * WARM_UP);
    }

    /** Nearest-rank percentile of sorted values. */
    private static long percentile(List<Long> sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    private static String report(List<Result> results) {
        long bound = OUT_OF_ORDERNESS.toMillis();
        StringBuilder md = new StringBuilder();
        md.append("# Detection-to-task latency\n\n");
        md.append(
                String.format(
                        Locale.ROOT,
                        "Run at %s.\n\nLatency = time a create task is read (read_committed)"
                                + " minus the moment its cart became detectable (`abandoned_at +"
                                + " gap`, event time = wall clock). Seconds. First %d of %d carts"
                                + " dropped as warm-up.\n\n",
                        Instant.now(),
                        warmUpCarts(),
                        CARTS));

        md.append(
                "| mode | carts | p50 | p90 | p99 | max | p50 − bound | p99 − bound"
                        + " | goal (p99 − bound) | met |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Result r : results) {
            List<Long> s = r.latency.stream().sorted().toList();
            if (s.isEmpty()) {
                md.append(row(r.guarantee, "0", "", "", "", "", "", "", "", "no data"));
                continue;
            }
            // The goals, both counted past the bound: 2 s at-least-once; one
            // checkpoint interval + 1 s exactly-once (tasks wait for the commit).
            long goal =
                    r.guarantee.equals("EXACTLY_ONCE")
                            ? CHECKPOINT_INTERVAL.toMillis() + 1000
                            : 2000;
            long p50 = percentile(s, 50);
            long p99 = percentile(s, 99);
            md.append(
                    row(
                            r.guarantee,
                            String.valueOf(s.size()),
                            seconds(p50),
                            seconds(percentile(s, 90)),
                            seconds(p99),
                            seconds(s.get(s.size() - 1)),
                            seconds(p50 - bound),
                            seconds(p99 - bound),
                            "≤ " + seconds(goal),
                            p99 - bound <= goal ? "yes" : "no"));
        }

        md.append(
                "\nWhere the time goes (seconds): detection = `detected_at` (wall clock when the"
                        + " tracker fired) minus detectable moment; delivery = read time minus"
                        + " `detected_at`.\n\n");
        md.append(row("mode", "detection p50", "detection p99", "delivery p50", "delivery p99"));
        md.append("|---|---:|---:|---:|---:|\n");
        for (Result r : results) {
            md.append(
                    row(
                            r.guarantee,
                            stat(r.detection, 50),
                            stat(r.detection, 99),
                            stat(r.delivery, 50),
                            stat(r.delivery, 99)));
        }

        md.append("\n## Setup\n\n");
        bullets(
                md,
                String.format(
                        "parallelism: %d (1 TaskManager, %1$d slots, Flink MiniCluster)",
                        PARALLELISM),
                String.format(
                        "clickstream partitions: %d (carts alternate; heartbeats on all)",
                        PARTITIONS),
                "detection.gap: " + GAP.toMillis() + " ms",
                "ingest.out-of-orderness (bound): " + bound + " ms",
                "ingest.idle-timeout: " + IDLE_TIMEOUT.toMillis() + " ms",
                "delivery.checkpoint-interval: "
                        + CHECKPOINT_INTERVAL.toMillis()
                        + " ms (both modes)",
                String.format(
                        "carts: %d, one every %d ms (%d/s over %d s)",
                        CARTS,
                        CART_SPACING.toMillis(),
                        1000 / CART_SPACING.toMillis(),
                        CART_SPACING.multipliedBy(CARTS).toSeconds()),
                "heartbeat: one page_view per partition every " + HEARTBEAT.toMillis() + " ms",
                "extra settings (-Dbench.settings): "
                        + (EXTRA_SETTINGS.isEmpty() ? "none" : EXTRA_SETTINGS),
                "Kafka: single in-JVM KRaft broker, client " + AppInfoParser.getVersion(),
                "Flink: " + EnvironmentInformation.getVersion());

        md.append("\n## Machine\n\n");
        bullets(
                md,
                "processors (nproc): " + Runtime.getRuntime().availableProcessors(),
                "CPU: " + cpuModel(),
                String.format(
                        "Java: %s (%s)",
                        System.getProperty("java.version"), System.getProperty("java.vm.name")),
                "max heap: " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB",
                String.format(
                        "OS: %s %s %s",
                        System.getProperty("os.name"),
                        System.getProperty("os.version"),
                        System.getProperty("os.arch")));
        return md.toString();
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    private static void bullets(StringBuilder md, String... lines) {
        for (String line : lines) {
            md.append("- ").append(line).append('\n');
        }
    }

    private static String stat(List<Long> values, double p) {
        return values.isEmpty() ? "" : seconds(percentile(values.stream().sorted().toList(), p));
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}

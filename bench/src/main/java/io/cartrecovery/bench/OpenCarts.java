package io.cartrecovery.bench;

import io.cartrecovery.job.StreamingJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Issue 16's "one million tracked carts in a 2 GB TaskManager": `cart-recovery run` with its state
 * defaults (RocksDB, incremental checkpoints, EXACTLY_ONCE) reads {@code --carts} carts, each
 * opened by one add of two items, their event times spread over less than the gap, so that every
 * cart is still open at the end and the tracker holds all of them; then it runs on for a few more
 * checkpoints with the carts held. It runs on a MiniCluster of its own whose TaskManager has the
 * managed and network memory Flink derives for {@code taskmanager.memory.process.size} ({@code
 * --tm-process-size}, 2g); the JVM heap Flink would give that TaskManager is printed, and the bench
 * JVM should be started with it ({@code CART_RECOVERY_JAVA_OPTS=-Xmx...}: a MiniCluster runs in the
 * bench's JVM, which cannot bound its own heap).
 *
 * <p>Not in the default set of measurements (a million carts take minutes): {@code --only
 * open-carts}.
 */
final class OpenCarts implements Measurement {
    static final String NAME = "open-carts";

    /** Event time the carts' adds are spread over: less than the default 10-minute gap. */
    static final Duration SPAN = Duration.ofMinutes(5);

    /** Checkpoints completed after the last cart was committed, with every cart held. */
    static final int CHECKPOINTS_AFTER = 3;

    private static final Duration TIMEOUT = Duration.ofMinutes(60);

    private final BenchContext context;
    private final long carts;
    private final MemorySize processSize;
    private String details = "";

    OpenCarts(BenchContext context, long carts, MemorySize processSize) {
        this.context = context;
        this.carts = carts;
        this.processSize = processSize;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return String.format(
                Locale.ROOT,
                "cart-recovery run (EXACTLY_ONCE, RocksDB, incremental checkpoints) on %,d carts"
                        + " opened within %d min of event time (none abandoned), a TaskManager of"
                        + " %s, then %d checkpoints more with every cart held%s",
                carts,
                SPAN.toMinutes(),
                mib(processSize.getBytes()),
                CHECKPOINTS_AFTER,
                details);
    }

    @Override
    public void warmUp() throws Exception {
        context.kafka();
    }

    /** What Flink gives a TaskManager process of this size. */
    static TaskExecutorProcessSpec spec(MemorySize processSize, int slots) {
        Configuration config = new Configuration();
        config.set(TaskManagerOptions.TOTAL_PROCESS_MEMORY, processSize);
        config.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        return TaskExecutorProcessUtils.processSpecFromConfig(config);
    }

    @Override
    public Sample run(int run) throws Exception {
        String bootstrap = context.kafka();
        String id = "bench-" + NAME + "-" + run + "-" + System.currentTimeMillis();
        String topic = id + "-clickstream";
        context.createTopics(Map.of(topic, BenchContext.PARTITIONS));
        long produceStart = System.nanoTime();
        produce(bootstrap, topic, run);
        double produceSeconds = (System.nanoTime() - produceStart) / 1e9;

        TaskExecutorProcessSpec spec = spec(processSize, context.parallelism());
        Configuration config = StreamingRun.runConfig(context, bootstrap, id, topic, true);
        Path checkpoints = context.out().resolve("checkpoints-" + NAME);
        try (FlinkCluster flink =
                        new FlinkCluster(
                                context.parallelism(),
                                checkpoints,
                                spec.getManagedMemorySize(),
                                spec.getNetworkMemSize());
                Meter meter = Meter.start(context.broker());
                Admin admin =
                        Admin.create(
                                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            StreamExecutionEnvironment env = flink.environment(config);
            StreamingJob.build(env, config);
            long submitted = System.nanoTime();
            double cpuAtSubmit = meter.cpuSeconds();
            JobID job = flink.submit(env, StreamingJob.NAME);
            long[] firstCommit = {0};
            long[] committedAtFirst = {0};
            double[] cpuAtFirst = {0};
            // Checkpoints that fail before the job's tasks all run (declined at start-up) are not
            // the ones this measures: failures count from the first completed checkpoint on.
            long[] failedAtFirstCompleted = {-1};
            flink.await(
                    job,
                    () -> {
                        if (failedAtFirstCompleted[0] < 0) {
                            long[] counts = flink.checkpointCounts(job);
                            if (counts[0] > 0) {
                                failedAtFirstCompleted[0] = counts[1];
                            }
                        }
                        long committed = StreamingRun.committed(admin, id);
                        if (committed > 0 && firstCommit[0] == 0) {
                            firstCommit[0] = System.nanoTime();
                            committedAtFirst[0] = committed;
                            cpuAtFirst[0] = meter.cpuSeconds();
                        }
                        return committed >= carts;
                    },
                    TIMEOUT,
                    NAME);
            long events = carts - committedAtFirst[0];
            // Timed from the first commit to the last; a run done by its first commit (a small
            // --carts) is timed from its submission, start-up included.
            double seconds = (System.nanoTime() - (events > 0 ? firstCommit[0] : submitted)) / 1e9;
            double cpu = meter.cpuSeconds() - (events > 0 ? cpuAtFirst[0] : cpuAtSubmit);
            long completedAtEnd = flink.checkpointCounts(job)[0];
            flink.await(
                    job,
                    () -> flink.checkpointCounts(job)[0] >= completedAtEnd + CHECKPOINTS_AFTER,
                    TIMEOUT,
                    NAME);
            long[] countsBeforeCancel = flink.checkpointCounts(job);
            long failedWhileRunning =
                    countsBeforeCancel[1] - Math.max(0, failedAtFirstCompleted[0]);
            FlinkCluster.Finished finished = flink.cancel(job);
            Runtime jvm = Runtime.getRuntime();
            details =
                    String.format(
                            Locale.ROOT,
                            ". Flink's TaskManager of %s: managed %s (RocksDB), network %s,"
                                    + " JVM heap %s; this JVM's heap limit %s. Produced in %.0f s."
                                    + " Checkpoints: %d completed, %d failed once the first had"
                                    + " completed (%d declined before), the largest %s"
                                    + " (%.0f B per cart), median %d ms, longest %d ms, the last"
                                    + " %s. Peak heap %s, peak RSS of the JVM %s (broker apart)",
                            mib(processSize.getBytes()),
                            mib(spec.getManagedMemorySize().getBytes()),
                            mib(spec.getNetworkMemSize().getBytes()),
                            mib(spec.getJvmHeapMemorySize().getBytes()),
                            mib(jvm.maxMemory()),
                            produceSeconds,
                            finished.checkpoints(),
                            failedWhileRunning,
                            Math.max(0, failedAtFirstCompleted[0]),
                            mib(finished.maxCheckpointBytes()),
                            (double) finished.maxCheckpointBytes() / carts,
                            finished.medianMillis(),
                            finished.maxMillis(),
                            mib(finished.lastCheckpointBytes()),
                            mib(meter.peakHeapBytes()),
                            mib(meter.peakRssBytes()));
            return new Sample(
                    events > 0 ? events : carts,
                    Math.max(seconds, 1e-3),
                    cpu,
                    meter.peakHeapBytes(),
                    finished.checkpoints(),
                    finished.maxCheckpointBytes(),
                    finished.medianMillis(),
                    carts,
                    0,
                    finished.stateBytesByOperator());
        } finally {
            BenchContext.deleteRecursively(checkpoints);
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /**
     * One add per cart, of two items, keyed by cart: half the carts with a store cart id, half
     * keyed by a logged-in customer, as the bench's mix has them. Seeded, so runs see the same.
     */
    private void produce(String bootstrap, String topic, int run) throws Exception {
        Map<String, Object> config =
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.LINGER_MS_CONFIG,
                        20,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        256 * 1024,
                        ProducerConfig.ACKS_CONFIG,
                        "all");
        SplittableRandom random = new SplittableRandom(7 + run);
        Instant start = Instant.parse("2025-11-03T08:00:00Z");
        long spanMillis = SPAN.toMillis();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < carts; i++) {
                String store = "shop-" + (1 + i % 60);
                String visitor = String.format(Locale.ROOT, "v-%012x", random.nextLong(1L << 48));
                // Half the carts with a store cart id, half keyed by a logged-in customer.
                String cartId = i % 2 == 0 ? new UUID(random.nextLong(), i).toString() : null;
                String owner =
                        cartId != null
                                ? "\"cart_id\":\"" + cartId + "\","
                                : "\"customer_id\":\"cust-" + i + "\",";
                Instant time = start.plusMillis(i * spanMillis / carts);
                String json =
                        "{\"event_id\":\""
                                + new UUID(random.nextLong(), random.nextLong())
                                + "\",\"type\":\"add_to_cart\",\"store_id\":\""
                                + store
                                + "\",\"event_time\":\""
                                + time
                                + "\","
                                + owner
                                + "\"anonymous_id\":\""
                                + visitor
                                + "\",\"session_id\":\"s-"
                                + visitor.substring(2)
                                + "\",\"currency\":\"EUR\",\"items\":["
                                + item(random)
                                + ","
                                + item(random)
                                + "]}";
                String key = store + (cartId != null ? "/cart/" + cartId : "/customer/cust-" + i);
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                key.getBytes(StandardCharsets.UTF_8),
                                json.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    private static String item(SplittableRandom random) {
        int product = random.nextInt(5_000);
        return String.format(
                Locale.ROOT,
                "{\"product_id\":\"p-%d\",\"name\":\"Product %d\",\"quantity\":%d,"
                        + "\"price\":\"%d.%02d\"}",
                product,
                product,
                1 + random.nextInt(3),
                5 + random.nextInt(200),
                random.nextInt(100));
    }
}

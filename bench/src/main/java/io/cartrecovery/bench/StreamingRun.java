package io.cartrecovery.bench;

import io.cartrecovery.config.ClickHouseOptions;
import io.cartrecovery.config.DeliveryOptions;
import io.cartrecovery.config.KafkaOptions;
import io.cartrecovery.config.StateDefaults;
import io.cartrecovery.job.StreamingJob;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * `cart-recovery run`: the production job (StreamingJob) reading the bench topic from the start,
 * tasks and the other outputs to Kafka, facts and KPI windows to a local ClickHouse when one is
 * installed, in one delivery mode. It runs until its consumer group has committed every record (the
 * source commits at each completed checkpoint), then is cancelled. Timed from the first commit to
 * the last, so job start-up and the first checkpoint interval are left out; the rate is therefore
 * exact to about one checkpoint interval.
 */
final class StreamingRun implements Measurement {
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    private final BenchContext context;
    private final boolean exactlyOnce;
    private boolean clickHouseUsed;

    StreamingRun(BenchContext context, boolean exactlyOnce) {
        this.context = context;
        this.exactlyOnce = exactlyOnce;
    }

    @Override
    public String name() {
        return exactlyOnce ? "eo" : "alo";
    }

    @Override
    public String description() {
        return "cart-recovery run, "
                + (exactlyOnce ? "EXACTLY_ONCE" : "AT_LEAST_ONCE")
                + ": StreamingJob from the earliest offset to the last commit, outputs to Kafka"
                + (clickHouseUsed
                        ? ", facts and KPI windows to ClickHouse (broker and ClickHouse CPU counted)"
                        : ", no ClickHouse (broker CPU counted)");
    }

    @Override
    public void warmUp() throws Exception {
        // The replay and the ceiling warm the shared code; this one's start-up is not timed.
        context.kafka();
    }

    @Override
    public Sample run(int run) throws Exception {
        String bootstrap = context.kafka();
        String id = "bench-" + name() + "-" + run + "-" + System.currentTimeMillis();
        Configuration config =
                runConfig(context, bootstrap, id, BenchContext.CLICKSTREAM_TOPIC, exactlyOnce);
        String clickHouse = context.clickHouse();
        if (clickHouse != null) {
            config.set(ClickHouseOptions.URL, clickHouse);
            clickHouseUsed = true;
        }
        FlinkCluster flink = context.flink();
        StreamExecutionEnvironment env = flink.environment(config);
        StreamingJob.build(env, config);
        long total = context.mix().events();
        try (Meter meter = Meter.start(context.broker(), context.clickHouseProcess());
                Admin admin =
                        Admin.create(
                                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            JobID job = flink.submit(env, StreamingJob.NAME);
            long[] firstCommit = {0, 0};
            double[] cpuAtFirst = {0};
            long[] committedAtFirst = {0};
            flink.await(
                    job,
                    () -> {
                        long committed = committed(admin, id);
                        if (committed > 0 && firstCommit[0] == 0) {
                            firstCommit[0] = System.nanoTime();
                            committedAtFirst[0] = committed;
                            cpuAtFirst[0] = meter.cpuSeconds();
                        }
                        return committed >= total;
                    },
                    TIMEOUT,
                    name());
            double seconds = (System.nanoTime() - firstCommit[0]) / 1e9;
            double cpu = meter.cpuSeconds() - cpuAtFirst[0];
            FlinkCluster.Finished finished = flink.cancel(job);
            long events = total - committedAtFirst[0];
            // CPU per event over the timed span only; a run done at its first commit has none.
            double cpuSeconds = events > 0 ? cpu : meter.cpuSeconds();
            return new Sample(
                    events > 0 ? events : total,
                    Math.max(seconds, 1e-3),
                    cpuSeconds,
                    meter.peakHeapBytes(),
                    finished.checkpoints(),
                    finished.maxCheckpointBytes(),
                    finished.medianMillis(),
                    context.mix().carts(),
                    0,
                    finished.stateBytesByOperator());
        }
    }

    /**
     * What `cart-recovery run` is given for a bench run: its state defaults (RocksDB, incremental
     * checkpoints: docs/state.md), so the bench measures what a user runs; the bench's broker and
     * topics, read from the start; the delivery mode; a group and transactional ids of its own.
     */
    static Configuration runConfig(
            BenchContext context,
            String bootstrap,
            String id,
            String clickstreamTopic,
            boolean exactlyOnce) {
        Configuration config = StateDefaults.forAnyRun(context.jobConfig());
        config.set(KafkaOptions.BOOTSTRAP_SERVERS, bootstrap);
        config.set(KafkaOptions.GROUP_ID, id);
        config.setString(KafkaOptions.STARTING_OFFSETS.key(), "EARLIEST");
        config.set(KafkaOptions.CLICKSTREAM_TOPIC, clickstreamTopic);
        config.set(KafkaOptions.CUSTOMER_PROFILES_TOPIC, "bench-profiles");
        config.set(KafkaOptions.AGENTS_TOPIC, "bench-agents");
        config.set(KafkaOptions.CONTACT_OUTCOMES_TOPIC, "bench-outcomes");
        config.setString(
                DeliveryOptions.GUARANTEE.key(), exactlyOnce ? "EXACTLY_ONCE" : "AT_LEAST_ONCE");
        config.set(DeliveryOptions.CHECKPOINT_INTERVAL, context.checkpointInterval());
        config.set(DeliveryOptions.TRANSACTIONAL_ID_PREFIX, id);
        return config;
    }

    static long committed(Admin admin, String group) {
        try {
            Map<?, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            return offsets.values().stream()
                    .filter(o -> o != null)
                    .mapToLong(OffsetAndMetadata::offset)
                    .sum();
        } catch (Exception notYet) {
            return 0;
        }
    }
}

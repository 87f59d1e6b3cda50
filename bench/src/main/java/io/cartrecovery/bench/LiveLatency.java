package io.cartrecovery.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrecovery.config.DetectionOptions;
import io.cartrecovery.config.IngestOptions;
import io.cartrecovery.config.KafkaOptions;
import io.cartrecovery.job.StreamingJob;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Detection-to-task latency of `cart-recovery run` at a live rate: the bench's events are sent at a
 * steady rate (half the measured capacity unless given), each stamped with the wall clock as its
 * event time, to a running job; a {@code read_committed} consumer of the tasks topic times each
 * first attempt from the moment the watermark could first pass its cart's deadline (its {@code
 * issued_at}, the end of the cart's gap, plus the out-of-orderness bound) to the moment the
 * consumer sees it. So it is what a dialer waits beyond what the time model itself asks for: for
 * AT_LEAST_ONCE the pipeline's lag, for EXACTLY_ONCE that plus the wait for the checkpoint that
 * commits the task.
 *
 * <p>The gap is short ({@link #GAP}, unless {@code -D detection.gap} says otherwise) so that carts
 * are abandoned within the run, and so is the idle timeout ({@link #IDLE_TIMEOUT}, unless {@code -D
 * ingest.idle-timeout}): the bench's outcomes topic stays empty, and would hold event time back for
 * the default 30 s. Every other setting is the job's default.
 *
 * <p>Only contactable carts get tasks, so each logged-in shopper gets a profile with a phone, an
 * e-mail address and consent to every channel on a profiles topic of the run's own, sent just
 * before the shopper's first event; anonymous visitors' carts stay abandoned-cart facts and are not
 * timed.
 */
final class LiveLatency implements Measurement {
    static final Duration GAP = Duration.ofSeconds(20);
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);

    private final BenchContext context;
    private final boolean exactlyOnce;
    private final DoubleSupplier rate;
    private final Duration sending;

    /**
     * @param rate events/s to send at, asked at each run (half the capacity measured so far)
     * @param sending how long to send for
     */
    LiveLatency(BenchContext context, boolean exactlyOnce, DoubleSupplier rate, Duration sending) {
        this.context = context;
        this.exactlyOnce = exactlyOnce;
        this.rate = rate;
        this.sending = sending;
    }

    @Override
    public String name() {
        return exactlyOnce ? "eo-latency" : "alo-latency";
    }

    @Override
    public String description() {
        return "cart-recovery run, "
                + (exactlyOnce ? "EXACTLY_ONCE" : "AT_LEAST_ONCE")
                + ", live: events sent at the rate in the table for "
                + sending.toSeconds()
                + " s, event time = wall clock; latency of each first attempt seen by a"
                + " read_committed consumer, past its gap's end plus the out-of-orderness bound";
    }

    @Override
    public void warmUp() throws Exception {
        context.kafka();
    }

    @Override
    public Sample run(int run) throws Exception {
        String bootstrap = context.kafka();
        String id = "bench-" + name() + "-" + run + "-" + System.currentTimeMillis();
        String input = id + "-clickstream";
        String tasks = id + "-tasks";
        String profiles = id + "-profiles";
        context.createTopics(Map.of(input, BenchContext.PARTITIONS, tasks, 1, profiles, 1));
        Configuration config = StreamingRun.runConfig(context, bootstrap, id, input, exactlyOnce);
        config.set(KafkaOptions.CONTACT_TASKS_TOPIC, tasks);
        config.set(KafkaOptions.CUSTOMER_PROFILES_TOPIC, profiles);
        if (!config.contains(DetectionOptions.GAP)) {
            config.set(DetectionOptions.GAP, GAP);
        }
        // The bench's outcomes, profiles and agents topics stay empty, where a live contact
        // centre's carry traffic: they hold event time back until they are found idle.
        if (!config.contains(IngestOptions.IDLE_TIMEOUT)) {
            config.set(IngestOptions.IDLE_TIMEOUT, IDLE_TIMEOUT);
        }
        long boundMillis = config.get(IngestOptions.OUT_OF_ORDERNESS).toMillis();
        long gapMillis = config.get(DetectionOptions.GAP).toMillis();

        FlinkCluster flink = context.flink();
        StreamExecutionEnvironment env = flink.environment(config);
        StreamingJob.build(env, config);
        double eventsPerSecond = rate.getAsDouble();
        List<Long> latencies = new ArrayList<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread reader = new Thread(() -> read(bootstrap, tasks, boundMillis, latencies, reading));
        try (Meter meter = Meter.start(context.broker())) {
            JobID job = flink.submit(env, StreamingJob.NAME);
            flink.await(
                    job,
                    () -> running(flink, job),
                    Duration.ofMinutes(2),
                    name() + ": job running");
            reader.start();
            // Until then the empty inputs hold event time back.
            Thread.sleep(config.get(IngestOptions.IDLE_TIMEOUT).toMillis() + 2000);
            long sent = send(bootstrap, input, profiles, eventsPerSecond);
            // The carts of the last events are abandoned a gap and a bound later.
            Thread.sleep(gapMillis + boundMillis + context.checkpointInterval().toMillis() + 5000);
            reading.set(false);
            reader.join();
            FlinkCluster.Finished finished = flink.cancel(job);
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Sample(
                    sent,
                    sending.toMillis() / 1e3,
                    meter.cpuSeconds(),
                    meter.peakHeapBytes(),
                    finished.checkpoints(),
                    finished.maxCheckpointBytes(),
                    finished.medianMillis(),
                    0,
                    0,
                    finished.stateBytesByOperator(),
                    Sample.Latency.of(sorted));
        }
    }

    private static boolean running(FlinkCluster flink, JobID job) {
        try {
            return flink.status(job) == JobStatus.RUNNING;
        } catch (Exception notYet) {
            return false;
        }
    }

    /**
     * Sends the bench's events at the rate, each dated now, and before a logged-in shopper's first
     * event their profile (phone, e-mail, consent to every channel) to {@code profiles}; returns
     * how many events were sent.
     */
    private long send(String bootstrap, String topic, String profiles, double eventsPerSecond)
            throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Object> config =
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.LINGER_MS_CONFIG,
                        5,
                        ProducerConfig.ACKS_CONFIG,
                        "all");
        long start = System.nanoTime();
        long end = start + sending.toNanos();
        long sent = 0;
        Set<String> profiled = new HashSet<>();
        try (KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(
                                config, new ByteArraySerializer(), new ByteArraySerializer());
                BufferedReader lines = Files.newBufferedReader(context.input())) {
            for (String line = lines.readLine();
                    line != null && System.nanoTime() < end;
                    line = lines.readLine()) {
                long due = start + (long) (sent * 1e9 / eventsPerSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                ObjectNode event = (ObjectNode) mapper.readTree(line);
                event.put("event_time", Instant.now().toString());
                String store = event.path("store_id").asText();
                String customer = event.path("customer_id").asText("");
                if (!customer.isEmpty() && profiled.add(store + "/" + customer)) {
                    ObjectNode profile = mapper.createObjectNode();
                    profile.put("store_id", store);
                    profile.put("customer_id", customer);
                    profile.put("phone", "+34612345678");
                    profile.put("email", "shopper@example.com");
                    ObjectNode consent = profile.putObject("consent");
                    for (String channel : List.of("call", "whatsapp", "sms", "email")) {
                        consent.putObject(channel).put("granted", true);
                    }
                    producer.send(
                            new ProducerRecord<>(
                                    profiles,
                                    (store + "/" + customer).getBytes(StandardCharsets.UTF_8),
                                    mapper.writeValueAsBytes(profile)));
                }
                String key = KeyedCeiling.CartKey.key(event);
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                key.getBytes(StandardCharsets.UTF_8),
                                mapper.writeValueAsBytes(event)));
                sent++;
            }
        }
        return sent;
    }

    /** Times each first attempt the consumer sees, until told to stop. */
    private static void read(
            String bootstrap,
            String topic,
            long boundMillis,
            List<Long> latencies,
            AtomicBoolean reading) {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Object> config =
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        topic + "-reader",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (reading.get()) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(100))) {
                    long seen = System.currentTimeMillis();
                    JsonNode task = mapper.readTree(record.value());
                    if ("create".equals(task.path("type").asText())
                            && task.path("attempt").asInt() == 1) {
                        long due =
                                Instant.parse(task.path("issued_at").asText()).toEpochMilli()
                                        + boundMillis;
                        synchronized (latencies) {
                            latencies.add(seen - due);
                        }
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("reading " + topic, e);
        }
    }
}

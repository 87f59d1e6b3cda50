package io.cartrecovery.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartrecovery.config.DetectionOptions;
import io.cartrecovery.config.IngestOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The peer: the same abandonment rule written as a team would without this project, with Kafka
 * Streams. Events keyed by cart, session windows of {@code detection.gap} with a grace of {@code
 * ingest.out-of-orderness} (so a session closes when the stream time passes its last event by the
 * gap plus the bound, as our watermark does), a cart per session ({@link PeerCart}), suppressed
 * until the window closes, and the sessions that close with items in an open cart written to a
 * topic as abandoned. Default Kafka Streams settings (RocksDB stores with changelogs,
 * at-least-once), one stream thread per partition. No enrichment, no follow-up, no tasks: this is
 * the rule alone, so its rate is an upper bound for a peer that did the whole job.
 */
final class KafkaStreamsPeer implements Measurement {
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    private final BenchContext context;
    private final Duration gap;
    private final Duration grace;
    private Path lastAbandoned;

    KafkaStreamsPeer(BenchContext context) {
        this.context = context;
        Configuration config = context.jobConfig();
        this.gap = config.get(DetectionOptions.GAP);
        this.grace = config.get(IngestOptions.OUT_OF_ORDERNESS);
    }

    @Override
    public String name() {
        return "peer";
    }

    @Override
    public String description() {
        return "Kafka Streams: session windows (gap "
                + gap.toSeconds()
                + " s, grace "
                + grace.toSeconds()
                + " s) + suppress, abandoned carts to a topic (broker CPU counted)";
    }

    @Override
    public void warmUp() throws Exception {
        context.kafka();
    }

    @Override
    public Sample run(int run) throws Exception {
        String bootstrap = context.kafka();
        String app = "bench-peer-" + run + "-" + System.currentTimeMillis();
        String output = app + "-abandoned";
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(output, 1, (short) 1))).all().get();
        }
        AtomicLong processed = new AtomicLong();
        AtomicLong firstAt = new AtomicLong();
        long total = context.mix().events();
        Sample sample;
        try (Meter meter = Meter.start(context.broker());
                KafkaStreams streams =
                        new KafkaStreams(
                                topology(output, processed, firstAt), properties(app, bootstrap))) {
            streams.start();
            long end = System.nanoTime() + TIMEOUT.toNanos();
            while (processed.get() < total) {
                if (streams.state() == KafkaStreams.State.ERROR || System.nanoTime() > end) {
                    throw new IllegalStateException(
                            "peer: " + processed.get() + " of " + total + " events processed");
                }
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - firstAt.get()) / 1e9;
            sample =
                    new Sample(
                            total - 1,
                            Math.max(seconds, 1e-3),
                            meter.cpuSeconds(),
                            meter.peakHeapBytes(),
                            0,
                            0,
                            0,
                            context.mix().carts(),
                            0,
                            Map.of());
        }
        lastAbandoned = context.out().resolve("peer/run-" + run + "-abandoned.txt");
        Files.createDirectories(lastAbandoned.getParent());
        Files.write(lastAbandoned, readAll(bootstrap, output));
        return sample;
    }

    /**
     * The carts the last run reported abandoned, one a line: name, tab, last activity (epoch
     * milliseconds); null before a run.
     */
    Path abandoned() {
        return lastAbandoned;
    }

    /**
     * Carts whose last activity lies this close to the end of the input are decided differently at
     * the end by design: the gap, the grace, and a second for the input's jitter.
     */
    Duration endWindow() {
        return gap.plus(grace).plusSeconds(1);
    }

    private org.apache.kafka.streams.Topology topology(
            String output, AtomicLong processed, AtomicLong firstAt) {
        Serde<JsonNode> json = jsonSerde(JsonNode.class);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(
                        BenchContext.CLICKSTREAM_TOPIC,
                        Consumed.with(Serdes.String(), json)
                                .withTimestampExtractor(new EventTime()))
                .peek(
                        (cart, event) -> {
                            if (processed.getAndIncrement() == 0) {
                                firstAt.set(System.nanoTime());
                            }
                        })
                .groupByKey()
                .windowedBy(SessionWindows.ofInactivityGapAndGrace(gap, grace))
                .aggregate(
                        PeerCart::new,
                        (cart, event, state) -> state.apply(event),
                        (cart, earlier, later) -> PeerCart.merge(earlier, later),
                        Materialized.with(Serdes.String(), jsonSerde(PeerCart.class)))
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
                .toStream()
                .filter((window, cart) -> cart != null && cart.abandoned())
                // The session's end is the cart's last activity, for the comparison's end check.
                .map(
                        (window, cart) ->
                                KeyValue.pair(cart.name, cart.name + "\t" + window.window().end()))
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        return builder.build();
    }

    private Properties properties(String app, String bootstrap) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, BenchContext.PARTITIONS);
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                context.out().resolve("peer/state").toAbsolutePath().toString());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    private static List<String> readAll(String bootstrap, String topic) {
        List<String> names = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(
                        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, String> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    names.add(record.value());
                }
            }
        }
        return names;
    }

    /** Event time from the record itself, as the rule is about the shopper's time. */
    static final class EventTime implements TimestampExtractor {
        @Override
        public long extract(
                org.apache.kafka.clients.consumer.ConsumerRecord<Object, Object> record,
                long partitionTime) {
            if (record.value() instanceof JsonNode event && event.hasNonNull("event_time")) {
                return Instant.parse(event.get("event_time").asText()).toEpochMilli();
            }
            return partitionTime;
        }
    }

    private static <T> Serde<T> jsonSerde(Class<T> type) {
        ObjectMapper mapper = new ObjectMapper();
        Serializer<T> serializer =
                (topic, value) -> {
                    try {
                        return value == null ? null : mapper.writeValueAsBytes(value);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                };
        Deserializer<T> deserializer =
                (topic, bytes) -> {
                    try {
                        return bytes == null ? null : mapper.readValue(bytes, type);
                    } catch (Exception e) {
                        throw new IllegalStateException(
                                "not JSON: " + new String(bytes, StandardCharsets.UTF_8), e);
                    }
                };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}

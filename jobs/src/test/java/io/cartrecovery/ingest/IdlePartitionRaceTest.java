package io.cartrecovery.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.config.JobSettings;
import io.cartrecovery.testing.Events;
import io.cartrecovery.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The partition-idleness race on a real broker and a real Flink MiniCluster (docs/time.md, "Idle
 * inputs"). Two partitions hold the same event times; the broker throttles the reader of one of
 * them (a consumer byte-rate quota on its client id), so that reader goes quiet for seconds between
 * fetches while its partition still holds records, as a reader reconnecting late after a broker
 * restart, or paused on a loaded machine, does. A single operator downstream sees both partitions'
 * watermarks and counts the records that reach it behind its watermark.
 */
class IdlePartitionRaceTest {
    private static final int RECORDS_PER_PARTITION = 12;
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(500);
    private static final ConcurrentLinkedQueue<Boolean> LATE = new ConcurrentLinkedQueue<>();

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
    void timeAloneTakesAThrottledPartitionForIdleAndItsRecordsComeLate() throws Exception {
        // Flink's own idleness, as the job had it: this is the race, shown on this set-up.
        long late =
                lateRecords(
                        "time-alone",
                        WatermarkStrategy.<Ingested>forGenerator(
                                        context -> new FrontierWatermarks(Long.MAX_VALUE / 4, 0))
                                .withTimestampAssigner((record, ignored) -> record.eventTimeOrMin())
                                .withIdleness(IDLE_TIMEOUT));
        assertThat(late).isPositive();
    }

    @Test
    void aThrottledPartitionWithUnreadRecordsHoldsEventTime() throws Exception {
        Map<String, String> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        long late =
                lateRecords(
                        "caught-up",
                        IngestWatermarks.strategy(
                                Duration.ZERO,
                                Duration.ofDays(3650),
                                IDLE_TIMEOUT,
                                () -> KafkaCatchUp.shared(client)));
        assertThat(late).isZero();
    }

    private static long lateRecords(String name, WatermarkStrategy<Ingested> watermarks)
            throws Exception {
        String topic = "race-" + name;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
            // Subtask 1's reader gets about 250 bytes a second: a fetch, then seconds of silence.
            admin.alterClientQuotas(
                            List.of(
                                    new ClientQuotaAlteration(
                                            new ClientQuotaEntity(
                                                    Map.of(
                                                            ClientQuotaEntity.CLIENT_ID,
                                                            name + "-1")),
                                            List.of(
                                                    new ClientQuotaAlteration.Op(
                                                            "consumer_byte_rate", 250.0)))))
                    .all()
                    .get();
        }
        // The first record of each partition before the job starts, the rest once both readers
        // have handed theirs on: a reader with nothing handed on yet has no offset to compare
        // (docs/time.md, "Idle inputs": the start is not what this test is about).
        writeOneBatchPerRecord(topic, 0, 1);

        LATE.clear();
        Configuration config = new Configuration();
        config.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(50));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(2, config);
        KafkaSource<Ingested> source =
                KafkaSource.<Ingested>builder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setTopics(topic)
                        .setGroupId(name)
                        .setClientIdPrefix(name)
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setProperty("max.partition.fetch.bytes", "512")
                        .setDeserializer(
                                new KafkaClickstreamDeserializer(
                                        Ingestion.from(JobSettings.defaults())))
                        .build();
        env.fromSource(source, watermarks, "clickstream")
                .keyBy(record -> "all")
                .process(new CountLate())
                .setParallelism(1)
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync(name);
        try {
            Instant end = Instant.now().plus(Duration.ofMinutes(2));
            while (LATE.size() < 2 && Instant.now().isBefore(end)) {
                Thread.sleep(100);
            }
            writeOneBatchPerRecord(topic, 1, RECORDS_PER_PARTITION);
            while (LATE.size() < 2 * RECORDS_PER_PARTITION && Instant.now().isBefore(end)) {
                Thread.sleep(100);
            }
            assertThat(LATE).as("records read").hasSize(2 * RECORDS_PER_PARTITION);
        } finally {
            job.cancel().get();
        }
        long late = LATE.stream().filter(l -> l).count();
        System.out.printf(
                "IDLE RACE %s: %d of %d records behind the watermark%n", name, late, LATE.size());
        return late;
    }

    /**
     * Minutes {@code from} to {@code to} (exclusive), the same on both partitions, one record per
     * batch so each fetch brings few.
     */
    private static void writeOneBatchPerRecord(String topic, int from, int to) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = from; i < to; i++) {
                for (int partition = 0; partition < 2; partition++) {
                    String json =
                            Events.add("p-" + i, 1, "10.00")
                                    .cart("c-" + partition + "-" + i)
                                    .atMinute(i)
                                    .json();
                    producer.send(
                                    new ProducerRecord<>(
                                            topic,
                                            partition,
                                            null,
                                            json.getBytes(StandardCharsets.UTF_8)))
                            .get();
                }
            }
        }
    }

    /** Notes for each record whether it came at or behind the watermark. */
    private static final class CountLate extends KeyedProcessFunction<String, Ingested, Boolean> {
        @Override
        public void processElement(Ingested record, Context ctx, Collector<Boolean> out) {
            boolean late = ctx.timestamp() <= ctx.timerService().currentWatermark();
            LATE.add(late);
            out.collect(late);
        }
    }
}

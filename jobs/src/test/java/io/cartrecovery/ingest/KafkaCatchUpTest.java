package io.cartrecovery.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link KafkaCatchUp} against a real broker: what a quiet partition's reader has left to read. */
class KafkaCatchUpTest {
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
    void aReaderAtTheEndIsCaughtUpAndOneBehindIsNot() throws Exception {
        kafka.createTopic("plain", 2);
        kafka.send("plain", 0, values(5));
        KafkaCatchUp catchUp = KafkaCatchUp.shared(client(kafka));

        assertThat(within(Duration.ofSeconds(20), () -> catchUp.caughtUp("plain", 0, 5)))
                .as("offsets 0-4 read, end 5")
                .isTrue();
        assertThat(within(Duration.ofSeconds(20), () -> catchUp.caughtUp("plain", 1, 0)))
                .as("an empty partition")
                .isTrue();
        assertThat(within(Duration.ofSeconds(3), () -> catchUp.caughtUp("plain", 0, 3)))
                .as("offsets 3 and 4 not read yet")
                .isFalse();

        // The partition grows: the reader that was caught up is behind now.
        kafka.send("plain", 0, values(1));
        assertThat(
                        within(
                                Duration.ofSeconds(20),
                                () ->
                                        !catchUp.caughtUp("plain", 0, 5)
                                                && catchUp.caughtUp("plain", 0, 6)))
                .isTrue();
    }

    /**
     * The log says a partition holds event time only while its generator still waits on it: one
     * asked about once, whose reader then handed on records and stopped asking, is left alone.
     */
    @Test
    void onlyAPartitionStillWaitedOnIsSaidToHoldEventTime() throws Exception {
        kafka.createTopic("held", 2);
        kafka.send("held", 0, values(3));
        kafka.send("held", 1, values(3));
        KafkaCatchUp catchUp = KafkaCatchUp.shared(client(kafka));

        catchUp.caughtUp("held", 1, 0);
        Instant until = Instant.now().plusSeconds(8);
        while (Instant.now().isBefore(until) && !catchUp.saidHeld("held", 0)) {
            catchUp.caughtUp("held", 0, 0);
            Thread.sleep(200);
        }

        assertThat(catchUp.saidHeld("held", 0)).as("asked about all along").isTrue();
        assertThat(catchUp.saidHeld("held", 1)).as("asked about once").isFalse();
    }

    @Test
    void transactionMarkersAndAbortedRecordsAreNothingToRead() throws Exception {
        kafka.createTopic("transactional", 1);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "catch-up-test");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (byte[] value : values(3)) {
                producer.send(new ProducerRecord<>("transactional", 0, null, value));
            }
            producer.commitTransaction(); // offsets 0-2, marker 3
            producer.beginTransaction();
            for (byte[] value : values(2)) {
                producer.send(new ProducerRecord<>("transactional", 0, null, value));
            }
            producer.flush();
            producer.abortTransaction(); // offsets 4-5 aborted, marker 6: end 7
        }
        KafkaCatchUp catchUp = KafkaCatchUp.shared(client(kafka));

        // The job's reader handed on offset 2 last: its next offset is 3, the end is 7.
        assertThat(within(Duration.ofSeconds(20), () -> catchUp.caughtUp("transactional", 0, 3)))
                .isTrue();
        assertThat(within(Duration.ofSeconds(3), () -> catchUp.caughtUp("transactional", 0, 2)))
                .as("offset 2 is a committed record")
                .isFalse();
    }

    @Test
    void noPartitionIsCaughtUpWhileItsBrokerDoesNotAnswer() throws Exception {
        KafkaBroker gone = KafkaBroker.start();
        KafkaCatchUp catchUp;
        try {
            gone.createTopic("outage", 1);
            gone.send("outage", 0, values(2));
            catchUp = KafkaCatchUp.shared(client(gone));
            assertThat(within(Duration.ofSeconds(20), () -> catchUp.caughtUp("outage", 0, 2)))
                    .isTrue();
        } finally {
            gone.close();
        }
        assertThat(within(Duration.ofSeconds(30), () -> !catchUp.caughtUp("outage", 0, 2)))
                .as("the answer is withdrawn once the broker is gone")
                .isTrue();
        assertThat(within(Duration.ofSeconds(5), () -> catchUp.caughtUp("outage", 0, 2))).isFalse();
    }

    private static Map<String, String> client(KafkaBroker broker) {
        return Map.of("bootstrap.servers", broker.bootstrapServers());
    }

    private static List<byte[]> values(int n) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> ("v" + i).getBytes(StandardCharsets.UTF_8))
                .toList();
    }

    /** Asks as a watermark generator does, every 100 ms; true as soon as {@code test} holds. */
    private static boolean within(Duration timeout, BooleanSupplier test)
            throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            if (test.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}

package io.cartrecovery.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.outcomes.ContactOutcome;
import io.cartrecovery.outcomes.ContactOutcomeJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Runs a {@link DialerSimulator} against Kafka: reads the contact-tasks topic from the beginning
 * (read-committed, so only tasks of completed checkpoints) and writes each task's outcomes to the
 * contact-outcomes topic, keyed by task id. Runs on its own thread until closed.
 */
public final class DialerBridge implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String outcomesTopic;
    private final DialerSimulator dialer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final Thread thread;

    public DialerBridge(
            String bootstrapServers,
            String tasksTopic,
            String outcomesTopic,
            DialerSimulator dialer) {
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "dialer-simulator-" + tasksTopic);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer =
                new KafkaConsumer<>(
                        consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.consumer.subscribe(List.of(tasksTopic));
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer =
                new KafkaProducer<>(
                        producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        this.outcomesTopic = outcomesTopic;
        this.dialer = dialer;
        this.thread = new Thread(this::loop, "dialer-simulator");
        this.thread.setDaemon(true);
    }

    public DialerBridge start() {
        thread.start();
        return this;
    }

    /** Outcomes written so far. */
    public long sent() {
        return sent.get();
    }

    private void loop() {
        while (running.get()) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                JsonNode task;
                try {
                    task = ClickEventJson.MAPPER.readTree(record.value());
                } catch (IOException e) {
                    continue;
                }
                for (ContactOutcome outcome : dialer.outcomes(task)) {
                    producer.send(
                            new ProducerRecord<>(
                                    outcomesTopic,
                                    outcome.taskId().getBytes(StandardCharsets.UTF_8),
                                    ContactOutcomeJson.bytes(outcome)));
                    sent.incrementAndGet();
                }
            }
            producer.flush();
        }
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
        producer.close();
    }
}

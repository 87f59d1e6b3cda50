package io.cartrecovery.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.events.ClickEventJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts what the job writes, as a dialer would see it (committed records only), for the demo's
 * progress line. Runs on its own thread until closed.
 */
public final class OutputCounter implements Runnable, AutoCloseable {
    private final AtomicLong tasksCreated = new AtomicLong();
    private final AtomicLong tasksCancelled = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String tasksTopic;
    private final String abandonedTopic;

    public OutputCounter(
            String bootstrapServers, String tasksTopic, String abandonedTopic, String dlqTopic) {
        this.tasksTopic = tasksTopic;
        this.abandonedTopic = abandonedTopic;
        this.consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
        List<TopicPartition> partitions =
                List.of(tasksTopic, abandonedTopic, dlqTopic).stream()
                        .flatMap(
                                topic ->
                                        consumer.partitionsFor(topic).stream()
                                                .map(p -> new TopicPartition(topic, p.partition())))
                        .toList();
        consumer.assign(partitions);
        // Count this run's output only.
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    public long tasksCreated() {
        return tasksCreated.get();
    }

    public long tasksCancelled() {
        return tasksCancelled.get();
    }

    public long abandoned() {
        return abandoned.get();
    }

    public long deadLetters() {
        return deadLetters.get();
    }

    @Override
    public void run() {
        try {
            while (true) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    count(record);
                }
            }
        } catch (WakeupException stopping) {
            // close() was called
        } finally {
            consumer.close();
        }
    }

    private void count(ConsumerRecord<byte[], byte[]> record) {
        if (record.topic().equals(abandonedTopic)) {
            abandoned.incrementAndGet();
        } else if (record.topic().equals(tasksTopic)) {
            try {
                JsonNode task = ClickEventJson.MAPPER.readTree(record.value());
                if ("cancel".equals(task.path("type").asText())) {
                    tasksCancelled.incrementAndGet();
                } else {
                    tasksCreated.incrementAndGet();
                }
            } catch (java.io.IOException e) {
                // The job writes valid JSON; a broken record is not ours to count.
            }
        } else {
            deadLetters.incrementAndGet();
        }
    }

    @Override
    public void close() {
        consumer.wakeup();
    }
}

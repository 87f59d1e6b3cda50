package io.cartrecovery.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.followup.Holdout;
import io.cartrecovery.followup.TaskEventType;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts what the job writes, as a dialer would see it (committed records only), for the demo's
 * progress line. Runs on its own thread until closed.
 *
 * <p>The recovery figures follow the live recovery board (dashboards, docs/outcomes.md "The demo's
 * figures"): the cohort is the abandoned carts outside the holdout group; "contacted within 30 min"
 * is the share of the cohort whose attempt 1 got its first outcome (an {@code attempted} task
 * event) within 30 minutes of abandonment, in event time; the recovery rate is recovered carts (a
 * {@code recovered} task event) over the cohort.
 */
public final class OutputCounter implements Runnable, AutoCloseable {
    /** The first-contact target of the board and of {@code tasks.first-contact-sla}'s default. */
    static final long FIRST_CONTACT_TARGET_MILLIS = Duration.ofMinutes(30).toMillis();

    /**
     * What the progress line shows.
     *
     * @param abandoned distinct carts reported abandoned
     * @param tasksCreated contact tasks created (all attempts, re-sends included)
     * @param tasksCancelled cancel tasks
     * @param attempted tasks whose first outcome arrived ({@code attempted} task events)
     * @param cohort abandoned carts outside the holdout group
     * @param contactedInTime carts of the cohort whose attempt 1 got an outcome within 30 minutes
     * @param recovered carts of the cohort bought within the attribution window
     * @param deadLetters records on the dead-letter topic
     */
    public record Counts(
            long abandoned,
            long tasksCreated,
            long tasksCancelled,
            long attempted,
            long cohort,
            long contactedInTime,
            long recovered,
            long deadLetters) {

        /** Share of the cohort contacted within 30 minutes, 0 to 1. */
        public double contactedInTimeShare() {
            return cohort == 0 ? 0 : (double) contactedInTime / cohort;
        }

        /** Recovered carts over the cohort, 0 to 1. */
        public double recoveryRate() {
            return cohort == 0 ? 0 : (double) recovered / cohort;
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String tasksTopic;
    private final String abandonedTopic;
    private final String taskEventsTopic;
    private final double holdoutShare;

    // Guarded by this: written by the counting thread, read by the printing one.
    private long tasksCreated;
    private long tasksCancelled;
    private long attempted;
    private long deadLetters;
    private long contactedInTime;
    private long heldOut;

    /** Carts by "store/cart": when abandoned (the latest report). */
    private final Map<String, Long> abandonedAt = new HashMap<>();

    /** Carts by "store/cart": when attempt 1 got its first outcome, until the cart is reported. */
    private final Map<String, Long> firstContactAt = new HashMap<>();

    /** Carts counted in {@link #contactedInTime}. */
    private final Set<String> contacted = new HashSet<>();

    private final Set<String> recovered = new HashSet<>();

    /**
     * @param holdoutShare {@code followup.holdout-share}: the held-out carts are left out of the
     *     cohort, as on the board
     */
    public OutputCounter(
            String bootstrapServers,
            String tasksTopic,
            String abandonedTopic,
            String dlqTopic,
            String taskEventsTopic,
            double holdoutShare) {
        this.tasksTopic = tasksTopic;
        this.abandonedTopic = abandonedTopic;
        this.taskEventsTopic = taskEventsTopic;
        this.holdoutShare = holdoutShare;
        this.consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
        List<TopicPartition> partitions =
                List.of(tasksTopic, abandonedTopic, dlqTopic, taskEventsTopic).stream()
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

    public synchronized Counts counts() {
        return new Counts(
                abandonedAt.size(),
                tasksCreated,
                tasksCancelled,
                attempted,
                abandonedAt.size() - heldOut,
                contactedInTime,
                recovered.size(),
                deadLetters);
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

    private synchronized void count(ConsumerRecord<byte[], byte[]> record) {
        if (!record.topic().equals(abandonedTopic)
                && !record.topic().equals(tasksTopic)
                && !record.topic().equals(taskEventsTopic)) {
            deadLetters++;
            return;
        }
        JsonNode node;
        try {
            node = ClickEventJson.MAPPER.readTree(record.value());
            String cart = node.path("store_id").asText() + '/' + node.path("cart_id").asText();
            if (record.topic().equals(abandonedTopic)) {
                abandoned(cart, node);
            } else if (record.topic().equals(tasksTopic)) {
                if ("cancel".equals(node.path("type").asText())) {
                    tasksCancelled++;
                } else {
                    tasksCreated++;
                }
            } else {
                taskEvent(cart, node);
            }
        } catch (IOException | DateTimeParseException e) {
            // The job writes valid records; a broken one is not ours to count.
        }
    }

    private void abandoned(String cart, JsonNode node) {
        long at = Instant.parse(node.path("abandoned_at").asText()).toEpochMilli();
        if (abandonedAt.put(cart, at) == null
                && Holdout.heldOut(
                        node.path("store_id").asText(),
                        node.path("cart_id").asText(),
                        holdoutShare)) {
            heldOut++;
        }
        // Task events and the cart travel on different topics: either may come first.
        Long contact = firstContactAt.remove(cart);
        if (contact != null) {
            firstContact(cart, contact);
        }
    }

    private void taskEvent(String cart, JsonNode node) {
        String type = node.path("type").asText();
        if (TaskEventType.RECOVERED.wireName().equals(type)) {
            recovered.add(cart);
        } else if (TaskEventType.ATTEMPTED.wireName().equals(type)) {
            attempted++;
            if (node.path("attempt").asInt() == 1) {
                long at = Instant.parse(node.path("time").asText()).toEpochMilli();
                if (abandonedAt.containsKey(cart)) {
                    firstContact(cart, at);
                } else {
                    firstContactAt.merge(cart, at, Math::min);
                }
            }
        }
    }

    private void firstContact(String cart, long at) {
        if (at - abandonedAt.get(cart) <= FIRST_CONTACT_TARGET_MILLIS && contacted.add(cart)) {
            contactedInTime++;
        }
    }

    @Override
    public void close() {
        consumer.wakeup();
    }
}

package io.cartrecovery.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.outcomes.ContactOutcome;
import io.cartrecovery.outcomes.ContactOutcomeJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Runs a {@link DialerSimulator} against Kafka: reads the contact-tasks topic from the beginning
 * (read-committed, so only tasks of completed checkpoints) and writes each task's outcomes to the
 * contact-outcomes topic, keyed by task id. Runs on its own thread until closed.
 *
 * <p>With a finite speed the dialer has a simulated clock, and an outcome goes out when that clock
 * reaches the outcome's time, as a live dialer reports a call when it ends. The clock is the
 * shoppers' when the demo runs both; alone, it is estimated from the tasks: the latest {@code
 * issued_at} read, running on at {@code speed}. When the clock is already past a task's first
 * outcome as the task is read (the task came late), the task's outcomes are moved to the clock's
 * time: dated by the task's own issue time, a steady stream of outcomes would hold the job's event
 * time back by the pipeline's latency, and each round of tasks would come later.
 */
public final class DialerBridge implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String outcomesTopic;
    private final DialerSimulator dialer;
    private final double speed;
    private final LongSupplier clock;
    private final Consumer<ClickEvent> purchases;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong tasksRead = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong bought = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;

    /** Outcomes waiting for their wall-clock moment, earliest first. Used by the loop only. */
    private final PriorityQueue<Pending> pending =
            new PriorityQueue<>(Comparator.comparingLong((Pending p) -> p.outcome().time()));

    /** Tasks answered, the latest {@link #REMEMBERED} by id. Used by the loop only. */
    private final Map<String, Boolean> answered =
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED;
                }
            };

    private static final int REMEMBERED = 1_000_000;

    private record Pending(JsonNode task, ContactOutcome outcome) {}

    /** The estimated clock (no clock given): simulated time at {@link #anchorNanos}. */
    private long anchorMillis = Long.MIN_VALUE;

    private long anchorNanos;

    /** Outcomes as soon as their task is read, no purchases: for tests. */
    public DialerBridge(
            String bootstrapServers,
            String tasksTopic,
            String outcomesTopic,
            DialerSimulator dialer) {
        this(
                bootstrapServers,
                tasksTopic,
                outcomesTopic,
                dialer,
                Double.POSITIVE_INFINITY,
                null,
                purchase -> {},
                Duration.ofSeconds(30));
    }

    /**
     * @param speed simulated seconds per wall-clock second; infinite: outcomes at once, dated as
     *     the simulator says
     * @param clock the simulated clock, epoch millis; null: estimated from the tasks
     * @param purchases receives the purchases of shoppers who buy after a contact ({@link
     *     DialerSimulator#purchaseAfter}), when the outcome goes out; the demo's shoppers send them
     * @param timeout how long to wait for Kafka before giving up
     * @throws KafkaException when Kafka cannot be reached within the timeout or a topic is missing
     */
    public DialerBridge(
            String bootstrapServers,
            String tasksTopic,
            String outcomesTopic,
            DialerSimulator dialer,
            double speed,
            LongSupplier clock,
            Consumer<ClickEvent> purchases,
            Duration timeout) {
        int timeoutMs = Math.toIntExact(timeout.toMillis());
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "dialer-simulator-" + tasksTopic);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        this.consumer =
                new KafkaConsumer<>(
                        consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            this.producer =
                    new KafkaProducer<>(
                            producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        } catch (KafkaException e) {
            consumer.close();
            throw e;
        }
        try {
            // Fails within the timeout when Kafka is not there, instead of polling for ever.
            requireTopic(consumer.partitionsFor(tasksTopic, timeout), tasksTopic);
            requireTopic(consumer.partitionsFor(outcomesTopic, timeout), outcomesTopic);
        } catch (KafkaException e) {
            close(Duration.ZERO);
            throw e;
        }
        this.consumer.subscribe(List.of(tasksTopic));
        this.outcomesTopic = outcomesTopic;
        this.dialer = dialer;
        this.speed = speed;
        this.clock = clock;
        this.purchases = purchases;
        this.thread = new Thread(this::loop, "dialer-simulator");
        this.thread.setDaemon(true);
    }

    private static void requireTopic(List<PartitionInfo> partitions, String topic) {
        if (partitions == null || partitions.isEmpty()) {
            throw new KafkaException("topic '" + topic + "' does not exist");
        }
    }

    public DialerBridge start() {
        thread.start();
        return this;
    }

    /** Contact tasks read so far (creates and cancels). */
    public long tasksRead() {
        return tasksRead.get();
    }

    /** Outcomes written so far. */
    public long sent() {
        return sent.get();
    }

    /** Purchases after a contact handed on so far. */
    public long purchases() {
        return bought.get();
    }

    /** Why the bridge stopped, when Kafka failed; null while it runs or after a clean close. */
    public Exception failure() {
        return failure.get();
    }

    private void loop() {
        try {
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    tasksRead.incrementAndGet();
                    JsonNode task;
                    try {
                        task = ClickEventJson.MAPPER.readTree(record.value());
                    } catch (IOException e) {
                        continue;
                    }
                    schedule(task);
                }
                sendDue();
            }
        } catch (KafkaException | IllegalStateException e) {
            failure.set(e);
        }
    }

    private void schedule(JsonNode task) {
        String taskId = task.path("task_id").asText();
        if ("cancel".equals(task.path("type").asText())) {
            // The task left the dialer's queue: a call not made yet is not made.
            pending.removeIf(p -> p.outcome().taskId().equals(taskId));
            return;
        }
        // A task sent again (new contents, a reassignment) is the same call: one answer.
        if (answered.put(taskId, Boolean.TRUE) != null) {
            return;
        }
        List<ContactOutcome> outcomes = dialer.outcomes(task);
        if (outcomes.isEmpty()) {
            return;
        }
        long shift = 0;
        if (!Double.isInfinite(speed)) {
            if (clock == null) {
                advanceEstimate(DialerSimulator.issuedAt(task));
            }
            shift = Math.max(0, now() - outcomes.get(0).time());
        }
        for (ContactOutcome outcome : outcomes) {
            pending.add(new Pending(task, shift == 0 ? outcome : later(outcome, shift)));
        }
    }

    private static ContactOutcome later(ContactOutcome o, long shift) {
        return new ContactOutcome(
                o.taskId(),
                o.storeId(),
                o.cartId(),
                o.attempt(),
                o.agentId(),
                o.channel(),
                o.outcome(),
                o.objection(),
                o.time() + shift,
                o.callbackAt() == null ? null : o.callbackAt() + shift,
                o.notes());
    }

    /** The simulated clock, epoch millis; the end of time at infinite speed. */
    private long now() {
        if (Double.isInfinite(speed)) {
            return Long.MAX_VALUE;
        }
        if (clock != null) {
            return clock.getAsLong();
        }
        if (anchorMillis == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        return anchorMillis + (long) ((System.nanoTime() - anchorNanos) / 1e6 * speed);
    }

    /** A task issued later than the estimated clock says moves it on; it never goes back. */
    private void advanceEstimate(long issuedAt) {
        if (issuedAt > now()) {
            anchorMillis = issuedAt;
            anchorNanos = System.nanoTime();
        }
    }

    private void sendDue() {
        long now = now();
        boolean any = false;
        while (!pending.isEmpty() && pending.peek().outcome().time() <= now) {
            Pending due = pending.poll();
            ContactOutcome outcome = due.outcome();
            producer.send(
                    new ProducerRecord<>(
                            outcomesTopic,
                            outcome.taskId().getBytes(StandardCharsets.UTF_8),
                            ContactOutcomeJson.bytes(outcome)));
            sent.incrementAndGet();
            any = true;
            Long buysAt = dialer.purchaseAfter(outcome);
            if (buysAt != null) {
                ClickEvent purchase = DialerSimulator.purchase(due.task(), buysAt);
                if (purchase != null) {
                    purchases.accept(purchase);
                    bought.incrementAndGet();
                }
            }
        }
        if (any) {
            producer.flush();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    private void close(Duration wait) {
        running.set(false);
        if (thread != null && thread.isAlive()) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Not subscribed yet, or leaving the group: closes quickly even without a broker.
        consumer.close();
        producer.close(wait);
    }
}

package io.cartrecovery.ingest;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells quiet Kafka partitions that are caught up from ones with records their reader has not
 * handed on yet ({@link PartitionIdleness}).
 *
 * <p>One per task manager and set of client properties, shared by every source partition there.
 * Answers come from a background thread, so a watermark generator never waits on the broker: it
 * asks on each periodic emit while its partition is quiet, and gets the latest answer for the
 * offset it asked about. The thread checks the partitions asked about in the last few seconds, with
 * a consumer of its own (no group, nothing committed) that reads as the job's readers do ({@code
 * read_committed}): a partition is caught up when its end offset is at or before the reader's next
 * offset, or when what lies between is no record a reader would hand on (transaction markers,
 * aborted records). A broker that does not answer leaves every partition not caught up. The thread
 * ends after a minute without questions (a cancelled job's classes can go).
 */
public final class KafkaCatchUp implements CatchUp {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaCatchUp.class);
    private static final Map<Map<String, String>, KafkaCatchUp> SHARED = new HashMap<>();

    /** How often the thread checks the partitions asked about. */
    private static final long PERIOD_MS = 500;

    /** An answer older than this is not given: the partition may have grown since. */
    private static final long FRESH_NANOS = TimeUnit.SECONDS.toNanos(3);

    /** A partition not asked about for this long is no longer checked. */
    private static final long FORGET_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** The thread ends after this long without questions. */
    private static final long STOP_NANOS = TimeUnit.SECONDS.toNanos(60);

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    /** How long a quiet partition is behind before the log says so. */
    private static final long HELD_LOG_NANOS = TimeUnit.SECONDS.toNanos(5);

    /**
     * A partition asked about within this long is still waited on. A generator stops asking once
     * its partition hands on records again, while the thread keeps checking for {@link
     * #FORGET_NANOS}: what it finds then is no longer holding anything, and the log must not say it
     * is.
     */
    private static final long WAITED_ON_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Properties consumerProperties;
    private final Map<TopicPartition, Asked> asked = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Answer> answers = new ConcurrentHashMap<>();

    /** Since when each partition asked about has been behind; the background thread's alone. */
    private final Map<TopicPartition, Long> behindSince = new HashMap<>();

    /** The partitions the log said were holding event time, for the tests. */
    private final Set<TopicPartition> saidHeld = ConcurrentHashMap.newKeySet();

    private Thread thread;
    private volatile long lastQuestion;

    private record Asked(long nextOffset, long at) {}

    private record Answer(long nextOffset, boolean caughtUp, long checkedAt) {}

    private KafkaCatchUp(Properties consumerProperties) {
        this.consumerProperties = consumerProperties;
    }

    /**
     * The shared instance for these client properties (bootstrap servers, security), as the job's
     * Kafka sources use them.
     */
    public static synchronized KafkaCatchUp shared(Map<String, String> clientProperties) {
        return SHARED.computeIfAbsent(
                Map.copyOf(clientProperties), p -> new KafkaCatchUp(consumerProperties(p)));
    }

    private static Properties consumerProperties(Map<String, String> client) {
        Properties props = new Properties();
        props.putAll(client);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Never read from elsewhere than asked: an offset out of range is an error, not caught up.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "cart-recovery-catch-up");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "1024");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return props;
    }

    @Override
    public boolean caughtUp(String topic, int partition, long nextOffset) {
        TopicPartition tp = new TopicPartition(topic, partition);
        long now = System.nanoTime();
        lastQuestion = now;
        asked.put(tp, new Asked(nextOffset, now));
        ensureRunning();
        Answer answer = answers.get(tp);
        return answer != null
                && answer.caughtUp()
                && answer.nextOffset() == nextOffset
                && now - answer.checkedAt() < FRESH_NANOS;
    }

    /** Whether the log said this partition held event time (once per spell behind). */
    boolean saidHeld(String topic, int partition) {
        return saidHeld.contains(new TopicPartition(topic, partition));
    }

    private synchronized void ensureRunning() {
        if (thread == null || !thread.isAlive()) {
            thread = new Thread(this::run, "cart-recovery-catch-up");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void run() {
        KafkaConsumer<byte[], byte[]> consumer = null;
        boolean failing = false;
        try {
            while (System.nanoTime() - lastQuestion < STOP_NANOS) {
                long start = System.nanoTime();
                asked.values().removeIf(a -> start - a.at() > FORGET_NANOS);
                answers.keySet().retainAll(asked.keySet());
                behindSince.keySet().retainAll(asked.keySet());
                if (!asked.isEmpty()) {
                    try {
                        if (consumer == null) {
                            consumer = new KafkaConsumer<>(consumerProperties);
                        }
                        check(consumer, start);
                        if (failing) {
                            LOG.info("The clickstream's brokers answer again");
                            failing = false;
                        }
                    } catch (RuntimeException e) {
                        answers.clear();
                        if (!failing) {
                            LOG.info(
                                    "Cannot tell whether quiet partitions are caught up, so none"
                                            + " is idle: {}",
                                    e.toString());
                            failing = true;
                        }
                        if (consumer != null) {
                            consumer.close(CloseOptions.timeout(Duration.ZERO));
                            consumer = null;
                        }
                    }
                }
                Thread.sleep(PERIOD_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            answers.clear();
            if (consumer != null) {
                consumer.close(CloseOptions.timeout(Duration.ZERO));
            }
        }
    }

    private void check(KafkaConsumer<byte[], byte[]> consumer, long start) {
        Map<TopicPartition, Asked> questions = Map.copyOf(asked);
        Map<TopicPartition, Long> ends = consumer.endOffsets(questions.keySet(), CALL_TIMEOUT);
        Map<TopicPartition, Long> begins =
                consumer.beginningOffsets(questions.keySet(), CALL_TIMEOUT);
        for (Map.Entry<TopicPartition, Asked> q : questions.entrySet()) {
            TopicPartition tp = q.getKey();
            long asked = q.getValue().nextOffset();
            // A reader below the log's start (retention took what it had not read) starts there.
            long next = Math.max(asked, begins.getOrDefault(tp, 0L));
            Long end = ends.get(tp);
            boolean caughtUp =
                    end != null && (end <= next || nothingToRead(consumer, tp, next, end));
            answers.put(tp, new Answer(asked, caughtUp, start));
            boolean waitedOn = start - q.getValue().at() <= WAITED_ON_NANOS;
            logHeld(tp, caughtUp || !waitedOn, next, end, start);
        }
    }

    /**
     * Says once why a quiet partition keeps holding the job's event time, when it has been behind
     * and waited on for {@link #HELD_LOG_NANOS}: a record appended while a partition is quiet is
     * behind for a moment, until its reader fetches it, and says nothing.
     *
     * @param notHolding the partition is caught up, or no longer asked about
     */
    private void logHeld(TopicPartition tp, boolean notHolding, long next, Long end, long now) {
        if (notHolding) {
            behindSince.remove(tp);
            return;
        }
        long since = behindSince.computeIfAbsent(tp, unused -> now);
        if (since != Long.MIN_VALUE && now - since >= HELD_LOG_NANOS) {
            LOG.info(
                    "{} has been quiet for the idle timeout but its reader is behind (next offset"
                            + " {}, end {}): it holds event time until it is read",
                    tp,
                    next,
                    end);
            behindSince.put(tp, Long.MIN_VALUE); // said
            saidHeld.add(tp);
        }
    }

    /** Whether a reader at {@code next} would get no record before {@code end}. */
    private static boolean nothingToRead(
            KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long next, long end) {
        consumer.assign(List.of(tp));
        consumer.seek(tp, next);
        long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!consumer.poll(Duration.ofMillis(200)).records(tp).isEmpty()) {
                return false;
            }
            if (consumer.position(tp, CALL_TIMEOUT) >= end) {
                return true;
            }
        }
        return false;
    }
}

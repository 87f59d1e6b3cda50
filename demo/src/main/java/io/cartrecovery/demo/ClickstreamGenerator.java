package io.cartrecovery.demo;

import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.profiles.CustomerProfile;
import io.cartrecovery.profiles.CustomerProfileJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends the events of a {@link ShopperSimulator} to a Kafka topic as they fall due. The simulated
 * clock runs {@code speed} times as fast as the wall clock; records are keyed by the id the cart is
 * keyed by, so one cart's events stay in one partition, in order.
 */
public final class ClickstreamGenerator {
    /** How often the simulated clock is advanced; short enough that events go out smoothly. */
    private static final Duration TICK = Duration.ofMillis(50);

    /** Batches the many small events of a high rate. */
    private static final int LINGER_MS = 20;

    /** Enough to send what a flush left; the run has flushed before it closes. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    /**
     * What to generate.
     *
     * @param topic the clickstream topic
     * @param stores stores {@code shop-1} to {@code shop-N}
     * @param visitsPerSecond new visits per wall-clock second
     * @param speed simulated seconds per wall-clock second
     * @param seed seed of the simulation
     * @param profilesTopic where the profiles of the simulated customers go (docs/profiles.md),
     *     each before the customer's first event; null sends none
     */
    public record Settings(
            String topic,
            int stores,
            double visitsPerSecond,
            double speed,
            long seed,
            String profilesTopic) {
        public Settings {
            if (stores < 1) {
                throw new IllegalArgumentException("stores must be at least 1, not " + stores);
            }
            if (!(visitsPerSecond > 0) || Double.isInfinite(visitsPerSecond)) {
                throw new IllegalArgumentException(
                        "visitsPerSecond must be a positive number, not " + visitsPerSecond);
            }
            if (!(speed > 0) || Double.isInfinite(speed)) {
                throw new IllegalArgumentException("speed must be a positive number, not " + speed);
            }
        }
    }

    /**
     * Where a run stands.
     *
     * @param simulatedTime the simulated clock
     * @param elapsed wall-clock time since the run started
     * @param eventsSent events handed to the producer
     * @param stats the simulation's counts
     */
    public record Progress(
            Instant simulatedTime,
            Duration elapsed,
            long eventsSent,
            ShopperSimulator.Stats stats) {

        /** Events per wall-clock second over the whole run. */
        public double eventsPerSecond() {
            return perSecond(eventsSent, elapsed);
        }

        /** Events per wall-clock second since an earlier progress of the same run. */
        public double eventsPerSecondSince(Progress earlier) {
            return perSecond(eventsSent - earlier.eventsSent, elapsed.minus(earlier.elapsed));
        }

        private static double perSecond(long events, Duration time) {
            return time.isZero() ? 0 : events * 1e9 / time.toNanos();
        }
    }

    private final Settings settings;
    private final Producer<byte[], byte[]> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /**
     * Customers whose profile went out. Grows with the customers seen, at most the simulator's
     * customers per store times the stores.
     */
    private final Set<String> profiled = new HashSet<>();

    /** Events handed in from other threads ({@link #sendAt}), not yet in {@link #later}. */
    private final Queue<ClickEvent> handedIn = new ConcurrentLinkedQueue<>();

    /** Events waiting for the simulated clock, earliest first. Used by the run's thread only. */
    private final PriorityQueue<ClickEvent> later =
            new PriorityQueue<>(Comparator.comparingLong(ClickEvent::eventTime));

    private volatile boolean stopRequested;

    /** The simulated clock of the run, epoch millis; the wall clock before it starts. */
    private volatile long simulatedNow = System.currentTimeMillis();

    /** The generator closes the producer when its run ends. */
    public ClickstreamGenerator(Settings settings, Producer<byte[], byte[]> producer) {
        this.settings = settings;
        this.producer = producer;
    }

    /**
     * A producer that gives up after {@code timeout} when Kafka cannot be reached, instead of
     * waiting for it forever.
     */
    public static KafkaProducer<byte[], byte[]> producer(
            String bootstrapServers, Duration timeout) {
        int timeoutMs = Math.toIntExact(timeout.toMillis());
        Map<String, Object> config =
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        ProducerConfig.CLIENT_ID_CONFIG, "cart-recovery-generate",
                        ProducerConfig.LINGER_MS_CONFIG, LINGER_MS,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                        // Kafka requires at least linger plus request timeout.
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2 * timeoutMs + LINGER_MS);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The record key: the id the cart is keyed by (docs/clickstream.md, cart identity). */
    static String key(ClickEvent event) {
        if (event.cartId() != null) {
            return event.cartId();
        }
        return event.customerId() != null ? event.customerId() : event.anonymousId();
    }

    /**
     * Generates until {@code duration} has passed, {@link #stop()} is called or the thread is
     * interrupted; then flushes and closes the producer. Runs once.
     *
     * <p>With a duration and a speed above 1, the simulated clock starts in the past, so that it
     * reaches the wall clock at the end: no event time ever lies in the future, where the job would
     * reject it (setting {@code ingest.max-future-skew}). Without a duration it starts now.
     *
     * @param duration how long to run, or null to run until stopped
     * @param progressEvery how often to report progress
     * @param onProgress receives progress reports, on the calling thread
     * @return the progress at the end
     * @throws KafkaException when an event cannot be sent, e.g. Kafka is unreachable
     */
    public Progress run(Duration duration, Duration progressEvery, Consumer<Progress> onProgress) {
        long simulatedStart = System.currentTimeMillis();
        if (duration != null && settings.speed() > 1) {
            simulatedStart -= (long) (duration.toMillis() * (settings.speed() - 1));
        }
        ShopperSimulator simulator =
                new ShopperSimulator(
                        new SimulatorSettings(
                                settings.stores(),
                                settings.visitsPerSecond() / settings.speed(),
                                settings.seed(),
                                simulatedStart));
        CustomerBase customers = new CustomerBase(settings.seed());
        long startNanos = System.nanoTime();
        long end = duration == null ? Long.MAX_VALUE : duration.toNanos();
        long reportEvery = progressEvery.toNanos();
        long nextReport = reportEvery;
        long sent = 0;
        boolean interrupted = false;
        boolean failed = true;
        try {
            while (true) {
                long elapsed = Math.min(System.nanoTime() - startNanos, end);
                boolean last = stopRequested || elapsed == end;
                long simulatedNow = simulatedStart + (long) (elapsed / 1e6 * settings.speed());
                this.simulatedNow = simulatedNow;
                for (ClickEvent event : simulator.advanceTo(simulatedNow)) {
                    send(event, customers);
                    sent++;
                }
                for (ClickEvent event; (event = handedIn.poll()) != null; ) {
                    later.add(event);
                }
                while (!later.isEmpty() && later.peek().eventTime() <= simulatedNow) {
                    send(later.poll(), customers);
                    sent++;
                }
                Progress progress =
                        new Progress(
                                Instant.ofEpochMilli(simulatedNow),
                                Duration.ofNanos(elapsed),
                                sent,
                                simulator.stats());
                if (last) {
                    producer.flush();
                    throwIfFailed();
                    failed = false;
                    return progress;
                }
                if (elapsed >= nextReport) {
                    onProgress.accept(progress);
                    nextReport = (elapsed / reportEvery + 1) * reportEvery;
                }
                try {
                    Thread.sleep(TICK.toMillis());
                } catch (InterruptedException e) {
                    // Like stop(): end after the events due now, and still flush them.
                    interrupted = true;
                    stopRequested = true;
                }
            }
        } finally {
            // After a failure the broker is unreachable or refusing; waiting would only delay the
            // error message.
            producer.close(failed ? Duration.ZERO : CLOSE_TIMEOUT);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Sends an event from outside the simulation when the simulated clock reaches its time (at once
     * when it is past): the demo's shoppers who buy after a contact (docs/outcomes.md). Safe to
     * call from any thread; events still waiting when the run ends are not sent.
     */
    public void sendAt(ClickEvent event) {
        handedIn.add(event);
    }

    /** The run's simulated clock, epoch millis: what its shoppers' events are dated now. */
    public long simulatedNow() {
        return simulatedNow;
    }

    /** Asks a run to end soon; it still flushes what it generated. */
    public void stop() {
        stopRequested = true;
    }

    private void send(ClickEvent event, CustomerBase customers) {
        if (settings.profilesTopic() != null
                && event.customerId() != null
                && profiled.add(event.storeId() + "/" + event.customerId())) {
            CustomerProfile profile =
                    customers.profile(event.storeId(), event.customerId(), event.eventTime());
            send(
                    new ProducerRecord<>(
                            settings.profilesTopic(),
                            CustomerProfileJson.key(profile).getBytes(StandardCharsets.UTF_8),
                            CustomerProfileJson.toJson(profile)));
        }
        send(
                new ProducerRecord<>(
                        settings.topic(),
                        key(event).getBytes(StandardCharsets.UTF_8),
                        ClickEventJson.toJson(event)));
    }

    private void send(ProducerRecord<byte[], byte[]> record) {
        producer.send(
                record,
                (metadata, exception) -> {
                    if (exception != null) {
                        failure.compareAndSet(null, exception);
                    }
                });
        // Check at once: with Kafka unreachable each further send would block for the timeout.
        throwIfFailed();
    }

    private void throwIfFailed() {
        Exception e = failure.get();
        if (e != null) {
            throw e instanceof KafkaException kafka ? kafka : new KafkaException(e);
        }
    }
}

package io.cartrecovery.demo.cli;

import io.cartrecovery.cli.CommandFailure;
import io.cartrecovery.cli.UsageProblem;
import io.cartrecovery.config.KafkaOptions;
import io.cartrecovery.demo.ClickstreamGenerator;
import io.cartrecovery.demo.ClickstreamGenerator.Progress;
import io.cartrecovery.demo.ShopperSimulator.Stats;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.util.TimeUtils;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

// Values are taken as text and checked here, so that a bad one is a one-line error like a bad
// setting, rather than picocli's error followed by the whole usage text.
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Demo and load traffic: simulated shoppers of several stores, sent as clickstream events"
                    + " to Kafka. About 70%% of carts are abandoned, for the reasons studies report;"
                    + " some shoppers come back hours later and buy.",
            "With --speed above 1 and a --duration, the simulated clock starts in the past and"
                    + " reaches the present at the end, so that no event lies in the future."
        })
final class GenerateCommand implements Callable<Integer> {
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    @Spec CommandSpec spec;

    @Mixin ShopperOptions shoppers;

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT[,...]",
            description = "Kafka brokers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers = KafkaOptions.BOOTSTRAP_SERVERS.defaultValue();

    @Option(
            names = "--topic",
            paramLabel = "TOPIC",
            description = "Topic to write to (default: ${DEFAULT-VALUE}).")
    String topic = KafkaOptions.CLICKSTREAM_TOPIC.defaultValue();

    @Option(
            names = "--profiles-topic",
            paramLabel = "TOPIC",
            description =
                    "Compacted topic for the simulated customers' profiles, each sent before the"
                            + " customer's first event (default: ${DEFAULT-VALUE}).")
    String profilesTopic = KafkaOptions.CUSTOMER_PROFILES_TOPIC.defaultValue();

    @Option(
            names = "--no-profiles",
            description = "Send no customer profiles, only the clickstream.")
    boolean noProfiles;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            description =
                    "How long to wait for Kafka before giving up (default: ${DEFAULT-VALUE}).")
    String timeout = "10s";

    @Override
    public Integer call() throws Exception {
        ClickstreamGenerator.Settings settings =
                new ClickstreamGenerator.Settings(
                        topic(),
                        shoppers.stores(),
                        shoppers.rate(),
                        shoppers.speed(),
                        shoppers.seed(),
                        noProfiles ? null : profilesTopic);
        Duration runFor = shoppers.duration();
        Duration kafkaTimeout = ShopperOptions.duration("--timeout", timeout);
        if (kafkaTimeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new UsageProblem("--timeout must be at most 1 h, not '" + timeout + "'");
        }
        KafkaProducer<byte[], byte[]> producer;
        try {
            producer = ClickstreamGenerator.producer(bootstrapServers, kafkaTimeout);
        } catch (KafkaException e) {
            throw new UsageProblem(
                    "--bootstrap-servers '" + bootstrapServers + "': " + rootMessage(e));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (runFor == null && settings.speed() > 1) {
            spec.commandLine()
                    .getErr()
                    .println(
                            "cart-recovery: note: without --duration, event times run ahead of"
                                    + " the clock; the job rejects those more than"
                                    + " ingest.max-future-skew (default 1 h) ahead");
        }
        out.printf(
                "generating to topic %s at %s: %d stores, %s visits/s, speed %s, seed %d, %s%n",
                settings.topic(),
                bootstrapServers,
                settings.stores(),
                shoppers.rate,
                shoppers.speed,
                settings.seed(),
                runFor == null ? "until Ctrl-C" : "for " + TimeUtils.formatWithHighestUnit(runFor));
        out.flush();

        ClickstreamGenerator generator = new ClickstreamGenerator(settings, producer);
        // Ctrl-C does not interrupt the run, it runs shutdown hooks, and the JVM halts when they
        // end: so the hook stops the run and waits until it has flushed and printed its summary.
        CountDownLatch done = new CountDownLatch(1);
        Duration stopWithin = kafkaTimeout.multipliedBy(3).plusSeconds(10);
        Thread stopOnExit =
                new Thread(
                        () -> {
                            generator.stop();
                            try {
                                done.await(stopWithin.toMillis(), TimeUnit.MILLISECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "generate-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            Progress end = generator.run(runFor, PROGRESS_EVERY, new ProgressLines(out));
            out.printf(
                    "sent %d events in %s (%.0f/s); %s%n",
                    end.eventsSent(),
                    clock(end.elapsed()),
                    end.eventsPerSecond(),
                    counts(end.stats()));
            out.flush();
            return 0;
        } catch (KafkaException e) {
            throw new CommandFailure(
                    "cannot write to topic '"
                            + settings.topic()
                            + "' at "
                            + bootstrapServers
                            + " (is Kafka running there, and does the topic exist?): "
                            + rootMessage(e));
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException e) {
                // The JVM is shutting down and the hook is running; it ends now.
            }
        }
    }

    /** One line per report, with the event rate since the previous one. */
    private static final class ProgressLines implements Consumer<Progress> {
        private final PrintWriter out;
        private Progress previous;

        ProgressLines(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void accept(Progress progress) {
            double rate =
                    previous == null
                            ? progress.eventsPerSecond()
                            : progress.eventsPerSecondSince(previous);
            out.printf(
                    "%s  sim %s  %d events (%.0f/s)  %s%n",
                    clock(progress.elapsed()),
                    progress.simulatedTime().truncatedTo(ChronoUnit.SECONDS),
                    progress.eventsSent(),
                    rate,
                    counts(progress.stats()));
            out.flush();
            previous = progress;
        }
    }

    static String counts(Stats stats) {
        return String.format(
                "visits %d, carts %d: %d open, %d bought, %d left",
                stats.visitsStarted(),
                stats.cartsOpened(),
                stats.openCarts(),
                stats.purchases(),
                stats.cartsLeft());
    }

    static String clock(Duration elapsed) {
        return String.format(
                "%02d:%02d:%02d",
                elapsed.toHours(), elapsed.toMinutesPart(), elapsed.toSecondsPart());
    }

    private String topic() {
        if (topic.isBlank()) {
            throw new UsageProblem("--topic must not be blank");
        }
        return topic.strip();
    }

    /** The innermost cause says what went wrong; the outer ones only where. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause().getMessage() != null) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

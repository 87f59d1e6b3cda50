package io.cartrecovery.demo.cli;

import io.cartrecovery.cli.CommandFailure;
import io.cartrecovery.cli.UsageProblem;
import io.cartrecovery.config.KafkaOptions;
import io.cartrecovery.demo.DialerBridge;
import io.cartrecovery.demo.DialerSimulator;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.util.TimeUtils;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

// Values are taken as text and checked here, like generate's, so a bad one is one line.
@Command(
        name = "dialer-sim",
        mixinStandardHelpOptions = true,
        description = {
            "A simulated contact centre and messaging system: reads the contact tasks the job"
                    + " writes and answers each with seeded, plausible outcomes (most calls"
                    + " unanswered, some reached, callbacks, promises, wrong numbers; messages"
                    + " delivered, read, replied or bounced), docs/outcomes.md.",
            "An outcome goes out when the dialer's clock reaches its time; the clock follows the"
                    + " tasks' issue times and runs at --speed: use the generator's speed."
        })
final class DialerSimCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT[,...]",
            description = "Kafka brokers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers = KafkaOptions.BOOTSTRAP_SERVERS.defaultValue();

    @Option(
            names = "--tasks-topic",
            paramLabel = "TOPIC",
            description = "Topic of the contact tasks, read (default: ${DEFAULT-VALUE}).")
    String tasksTopic = KafkaOptions.CONTACT_TASKS_TOPIC.defaultValue();

    @Option(
            names = "--outcomes-topic",
            paramLabel = "TOPIC",
            description = "Topic of the contact outcomes, written (default: ${DEFAULT-VALUE}).")
    String outcomesTopic = KafkaOptions.CONTACT_OUTCOMES_TOPIC.defaultValue();

    @Option(
            names = "--speed",
            paramLabel = "FACTOR",
            description =
                    "Simulated seconds per wall-clock second, as the generator's (default:"
                            + " ${DEFAULT-VALUE}).")
    String speed = "1";

    @Option(
            names = "--seed",
            paramLabel = "N",
            description =
                    "The same seed gives the same outcome for the same task (default: random,"
                            + " printed).")
    String seed;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            description = "How long to run, e.g. 90s, 5m, 1h (default: until Ctrl-C).")
    String duration;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            description =
                    "How long to wait for Kafka before giving up (default: ${DEFAULT-VALUE}).")
    String timeout = "10s";

    @Override
    public Integer call() throws Exception {
        ShopperOptions values = new ShopperOptions();
        values.seed = seed;
        double factor = ShopperOptions.positive("--speed", speed);
        long seedValue = values.seed();
        Duration runFor = duration == null ? null : ShopperOptions.duration("--duration", duration);
        Duration kafkaTimeout = ShopperOptions.duration("--timeout", timeout);
        if (kafkaTimeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new UsageProblem("--timeout must be at most 1 h, not '" + timeout + "'");
        }
        String tasks = topic("--tasks-topic", tasksTopic);
        String outcomes = topic("--outcomes-topic", outcomesTopic);
        DialerBridge bridge;
        try {
            bridge =
                    new DialerBridge(
                            bootstrapServers,
                            tasks,
                            outcomes,
                            new DialerSimulator(seedValue),
                            factor,
                            null,
                            purchase -> {},
                            kafkaTimeout);
        } catch (KafkaException e) {
            String reason = GenerateCommand.rootMessage(e);
            if (e.getCause() instanceof org.apache.kafka.common.config.ConfigException) {
                throw new UsageProblem("--bootstrap-servers '" + bootstrapServers + "': " + reason);
            }
            throw new CommandFailure(
                    "cannot reach topics '"
                            + tasks
                            + "' and '"
                            + outcomes
                            + "' at "
                            + bootstrapServers
                            + " (is Kafka running there, and do the topics exist?): "
                            + reason);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "answering tasks of topic %s with outcomes to %s at %s: speed %s, seed %d, %s%n",
                tasks,
                outcomes,
                bootstrapServers,
                speed,
                seedValue,
                runFor == null ? "until Ctrl-C" : "for " + TimeUtils.formatWithHighestUnit(runFor));
        out.flush();

        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread stopOnExit =
                new Thread(
                        () -> {
                            stop.countDown();
                            try {
                                done.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "dialer-sim-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        long start = System.nanoTime();
        try (bridge) {
            bridge.start();
            long end = runFor == null ? Long.MAX_VALUE : start + runFor.toNanos();
            while (true) {
                long left = end - System.nanoTime();
                long wait = Math.min(GenerateCommand.PROGRESS_EVERY.toNanos(), Math.max(0, left));
                boolean stopped = stop.await(wait, TimeUnit.NANOSECONDS);
                if (bridge.failure() != null) {
                    throw new CommandFailure(
                            "Kafka at "
                                    + bootstrapServers
                                    + " failed: "
                                    + GenerateCommand.rootMessage(bridge.failure()));
                }
                if (stopped || System.nanoTime() >= end) {
                    break;
                }
                out.println(line(start, bridge));
                out.flush();
            }
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException e) {
                // The JVM is shutting down and the hook is running; it ends now.
            }
        }
        out.println(line(start, bridge) + "; stopped");
        out.flush();
        return 0;
    }

    private static String line(long startNanos, DialerBridge bridge) {
        return String.format(
                "%s  tasks read %d  outcomes sent %d",
                GenerateCommand.clock(Duration.ofNanos(System.nanoTime() - startNanos)),
                bridge.tasksRead(),
                bridge.sent());
    }

    private static String topic(String option, String value) {
        if (value.isBlank()) {
            throw new UsageProblem(option + " must not be blank");
        }
        return value.strip();
    }
}

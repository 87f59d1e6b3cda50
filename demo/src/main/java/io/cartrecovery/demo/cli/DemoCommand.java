package io.cartrecovery.demo.cli;

import io.cartrecovery.cli.CommandFailure;
import io.cartrecovery.cli.CommandLines;
import io.cartrecovery.cli.JobSteps;
import io.cartrecovery.cli.SettingsMixin;
import io.cartrecovery.cli.StartupSteps;
import io.cartrecovery.clickhouse.ClickHouseHttp;
import io.cartrecovery.clickhouse.Migrations;
import io.cartrecovery.clickhouse.SchemaMigrator;
import io.cartrecovery.config.ClickHouseOptions;
import io.cartrecovery.config.ClickHouseSettings;
import io.cartrecovery.config.ComplianceOptions;
import io.cartrecovery.config.Configs;
import io.cartrecovery.config.FollowUpOptions;
import io.cartrecovery.config.IngestOptions;
import io.cartrecovery.config.KafkaOptions;
import io.cartrecovery.config.StateDefaults;
import io.cartrecovery.demo.ClickstreamGenerator;
import io.cartrecovery.demo.ClickstreamGenerator.Progress;
import io.cartrecovery.demo.DialerBridge;
import io.cartrecovery.demo.DialerSimulator;
import io.cartrecovery.demo.OutputCounter;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.job.StreamingJob;
import io.cartrecovery.launch.LocalClickHouse;
import io.cartrecovery.launch.LocalKafka;
import io.cartrecovery.launch.LocalRunException;
import io.cartrecovery.report.ChromiumPdf;
import io.cartrecovery.report.GrafanaBoards;
import io.cartrecovery.report.LeadershipReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "The whole pipeline on this machine, no Docker: a real Kafka broker (a child process,"
                    + " data in --data-dir), the detection job in a local Flink with its web UI,"
                    + " simulated shoppers and a simulated dialer that answers the contact tasks"
                    + " (some shoppers buy after a contact). Prints progress every 5 s; Ctrl-C"
                    + " stops everything it started.",
            "Time is compressed by --speed, so the 10-minute abandonment gap passes in"
                    + " seconds."
        })
final class DemoCommand implements Callable<Integer>, CommandLines.OwnSettingDefaults {
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    /** The demo's agents (docs/assignment.md), relative to the project's home. */
    static final String DEMO_ROSTER = "conf/demo-agents.jsonl";

    /** {@code ingest.idle-timeout} of the demo unless -D says otherwise. */
    static final String DEMO_IDLE_TIMEOUT = "5 s";

    /** {@code compliance.contact-window} of the demo unless -D says otherwise. */
    static final String DEMO_CONTACT_WINDOW = "00:00-24:00";

    /** Simulated seconds per second unless --speed says otherwise. */
    static final String DEFAULT_SPEED = "30";

    /** {@code ingest.max-future-skew} of the demo at a --speed above 1 unless -D says otherwise. */
    static final String DEMO_FUTURE_SKEW = "3650 d";

    /** The settings the demo sets unless -D says otherwise, as its --help states them. */
    static final Map<String, String> SETTING_DEFAULTS =
            Map.of(
                    IngestOptions.IDLE_TIMEOUT.key(),
                    "default: " + DEMO_IDLE_TIMEOUT + " in the demo",
                    ComplianceOptions.CONTACT_WINDOW.key(),
                    "default: " + DEMO_CONTACT_WINDOW + " in the demo",
                    IngestOptions.MAX_FUTURE_SKEW.key(),
                    "default: " + DEMO_FUTURE_SKEW + " in the demo, 1 h at --speed 1",
                    KafkaOptions.BOOTSTRAP_SERVERS.key(),
                    "set by --kafka-port in the demo",
                    ClickHouseOptions.URL.key(),
                    "default: the demo's own ClickHouse when clickhouse-server is installed");

    @Override
    public Map<String, String> settingDefaults() {
        return SETTING_DEFAULTS;
    }

    @Spec CommandSpec spec;

    @Mixin SettingsMixin settings;

    // A newcomer should see carts abandoned within a minute, not after ten: --speed 30 here.
    @Mixin ShopperOptions shoppers = ShopperOptions.withSpeed(DEFAULT_SPEED);

    @Option(
            names = "--kafka-port",
            paramLabel = "PORT",
            description =
                    "Kafka's client port; the controller takes the next one (default: ${DEFAULT-VALUE}).")
    int kafkaPort = 9092;

    @Option(
            names = "--web-port",
            paramLabel = "PORT",
            description = "Port of the Flink web UI (default: ${DEFAULT-VALUE}).")
    int webPort = 8081;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "Where the demo keeps Kafka's and ClickHouse's data and logs (default:"
                            + " ${DEFAULT-VALUE}).")
    Path dataDir = Path.of(".demo");

    @Option(
            names = "--fresh",
            description =
                    "Delete the data an earlier demo left in --data-dir (Kafka's topics, the local"
                            + " ClickHouse's facts, the job's checkpoints) and start clean. Without"
                            + " it, a demo refuses to start on an earlier demo's data.")
    boolean fresh;

    @Option(
            names = "--clickhouse-port",
            paramLabel = "PORT",
            description =
                    "ClickHouse's HTTP port; its native port is the next one (default:"
                            + " ${DEFAULT-VALUE}). ClickHouse runs when clickhouse-server is"
                            + " installed.")
    int clickHousePort = 8123;

    @Option(
            names = "--no-clickhouse",
            description = "Do not start ClickHouse: no facts and KPI windows are written.")
    boolean noClickHouse;

    /** The start-up lines, timed from the command's start. */
    private StartupSteps steps;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        steps = new StartupSteps(out);
        // Checked before anything starts, so a taken port is one clear line and nothing to clean.
        LocalKafka.requireFree(webPort, "the Flink web UI, --web-port");
        LocalKafka.requireFree(kafkaPort, "Kafka, --kafka-port");
        LocalKafka.requireFree(kafkaPort + 1, "Kafka's controller, --kafka-port + 1");
        startClean(out);
        if (shoppers.speed() > 1) {
            // Simulated time runs ahead of the wall clock for as long as the demo runs.
            settings.overrides().putIfAbsent(IngestOptions.MAX_FUTURE_SKEW.key(), DEMO_FUTURE_SKEW);
        }
        // The outcomes topic is empty until the first tasks are answered: at the default 30 s it
        // would hold event time, and so the first tasks, back for half a minute.
        settings.overrides().putIfAbsent(IngestOptions.IDLE_TIMEOUT.key(), DEMO_IDLE_TIMEOUT);
        // The simulated clock starts at whatever hour it is here, often night in some store's
        // zone: a newcomer would see no contact for the first simulated night. -D sets real hours.
        boolean windowOpen =
                settings.overrides()
                                .putIfAbsent(
                                        ComplianceOptions.CONTACT_WINDOW.key(), DEMO_CONTACT_WINDOW)
                        == null;
        // A ClickHouse already running at the configured URL is used as it is; else a local one.
        boolean configuredClickHouse =
                !noClickHouse && ClickHouseSettings.from(settings.load()).isPresent();
        boolean withClickHouse =
                !noClickHouse && !configuredClickHouse && LocalClickHouse.binary().isPresent();
        if (withClickHouse) {
            LocalKafka.requireFree(clickHousePort, "ClickHouse, --clickhouse-port");
            LocalKafka.requireFree(clickHousePort + 1, "ClickHouse native, --clickhouse-port + 1");
            settings.overrides()
                    .put(ClickHouseOptions.URL.key(), "http://127.0.0.1:" + clickHousePort);
        }
        String bootstrap = "localhost:" + kafkaPort;
        settings.overrides().put(KafkaOptions.BOOTSTRAP_SERVERS.key(), bootstrap);
        Configuration config = settings.load();
        if (windowOpen) {
            out.println(
                    "Contact window: around the clock in the demo (real hours: -D"
                            + " compliance.contact-window=08:00-21:00).");
        }
        ClickstreamGenerator.Settings generatorSettings =
                new ClickstreamGenerator.Settings(
                        Configs.get(config, KafkaOptions.CLICKSTREAM_TOPIC),
                        shoppers.stores(),
                        shoppers.rate(),
                        shoppers.speed(),
                        shoppers.seed(),
                        Configs.get(config, KafkaOptions.CUSTOMER_PROFILES_TOPIC));

        Path home = Path.of(System.getProperty("cartrecovery.home", ".")).toAbsolutePath();
        try (LocalClickHouse clickHouse = withClickHouse ? startClickHouse(config, out) : null) {
            if (configuredClickHouse) {
                applySchema(config, config.get(ClickHouseOptions.URL), steps);
            } else if (clickHouse == null) {
                out.println(
                        noClickHouse
                                ? "ClickHouse: off (--no-clickhouse)."
                                : "ClickHouse: not installed (apt-get install -y"
                                        + " clickhouse-server, or -D clickhouse.url=URL of a"
                                        + " running server); facts and KPI windows are not"
                                        + " written.");
            }
            Instant started = Instant.now();
            Instant simulatedEnd = runWithKafka(config, generatorSettings, home, bootstrap, out);
            if (clickHouse != null || configuredClickHouse) {
                writeReport(config, reportStart(started), simulatedEnd, out);
            }
        }
        out.println("Demo stopped: job cancelled, Kafka and ClickHouse stopped.");
        out.flush();
        return 0;
    }

    /** What an earlier demo leaves in the data folder. */
    static final List<String> DEMO_DATA = List.of("kafka", "clickhouse", "checkpoints");

    /**
     * A demo is one simulated world: a second one on the first's topics would read the old
     * clickstream again with a fresh job (every cart abandoned and tasked again) and add to the old
     * facts (rates above 100%). So it starts on an empty data folder, or deletes the old data when
     * asked to; continuing the old world is not offered.
     */
    void startClean(PrintWriter out) throws IOException {
        Path dir = dataDir.toAbsolutePath();
        List<Path> earlier = new ArrayList<>();
        for (String name : DEMO_DATA) {
            Path data = dir.resolve(name);
            if (Files.isDirectory(data)) {
                earlier.add(data);
            }
        }
        if (earlier.isEmpty()) {
            return;
        }
        if (!fresh) {
            throw new LocalRunException(
                    dir
                            + " holds an earlier demo's data (Kafka's topics, ClickHouse's facts);"
                            + " a demo on it would report its carts again: add --fresh to delete"
                            + " it and start clean, or give another --data-dir");
        }
        for (Path data : earlier) {
            deleteRecursively(data);
        }
        out.println("Starting clean: deleted the earlier demo's data in " + dir + ".");
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Starts ClickHouse in the data folder and applies the schema the job writes to. */
    private LocalClickHouse startClickHouse(Configuration config, PrintWriter out)
            throws Exception {
        Path dir = dataDir.toAbsolutePath().resolve("clickhouse");
        steps.step("Starting ClickHouse on port %d (data in %s) ...", clickHousePort, dir);
        LocalClickHouse clickHouse = LocalClickHouse.start(dir, clickHousePort, clickHousePort + 1);
        try {
            applySchema(config, clickHouse.url(), steps);
            return clickHouse;
        } catch (RuntimeException e) {
            clickHouse.close();
            throw e;
        }
    }

    /** Applies the migrations the server lacks, so the job's facts have their tables. */
    private static void applySchema(Configuration config, String url, StartupSteps steps) {
        ClickHouseSettings facts = ClickHouseSettings.from(config).orElseThrow();
        SchemaMigrator.Outcome schema =
                new SchemaMigrator(new ClickHouseHttp(facts), facts.database())
                        .apply(Migrations.bundled());
        steps.step(
                "ClickHouse: %s, database %s (%d migrations applied now). Try: curl '%s/?query="
                        + "SELECT+count()+FROM+%s.abandoned_carts_latest'",
                url, facts.database(), schema.applied().size(), url, facts.database());
    }

    /**
     * Where the simulated clock started: the wall clock, or with a --duration and a speed that far
     * back that the clock reaches the present at the end (ClickstreamGenerator).
     */
    private Instant reportStart(Instant started) {
        double speed = shoppers.speed();
        Duration duration = shoppers.duration();
        Instant start =
                duration == null || speed <= 1
                        ? started
                        : started.minusMillis((long) (duration.toMillis() * (speed - 1)));
        return start.minus(Duration.ofMinutes(1));
    }

    /**
     * The leadership report of the demo's facts into the data folder (docs/report.md); a report
     * that cannot be written is one line, not a failed demo.
     */
    private void writeReport(Configuration config, Instant from, Instant to, PrintWriter out) {
        try {
            ClickHouseSettings facts = ClickHouseSettings.from(config).orElseThrow();
            Path boards =
                    GrafanaBoards.find()
                            .orElseThrow(
                                    () -> new IllegalStateException("no dashboards/json here"));
            LeadershipReport.Written written =
                    new LeadershipReport(
                                    GrafanaBoards.load(boards),
                                    new ClickHouseHttp(facts),
                                    facts.database())
                            .write(
                                    new LeadershipReport.Scope(
                                            from,
                                            (to.isAfter(Instant.now()) ? to : Instant.now())
                                                    .plus(Duration.ofMinutes(1)),
                                            List.of()),
                                    dataDir.toAbsolutePath().resolve("report"),
                                    Instant.now(),
                                    ChromiumPdf.find());
            out.printf(
                    "Report: %s%s%n",
                    written.html(),
                    written.pdf().map(pdf -> " and " + pdf).orElse(" (" + written.noPdf() + ")"));
        } catch (RuntimeException e) {
            out.printf("Report: not written: %s%n", e.getMessage());
        }
        out.flush();
    }

    /** Runs Kafka, the job, the shoppers and the dialer; returns the simulated clock's end. */
    private Instant runWithKafka(
            Configuration config,
            ClickstreamGenerator.Settings generatorSettings,
            Path home,
            String bootstrap,
            PrintWriter out)
            throws Exception {
        steps.step("Starting Kafka on %s (data in %s) ...", bootstrap, dataDir.toAbsolutePath());
        try (LocalKafka kafka =
                LocalKafka.start(
                        home.resolve("local-kafka/target/classpath.txt"),
                        dataDir.toAbsolutePath().resolve("kafka"),
                        kafkaPort)) {
            steps.step("Kafka ready on %s", bootstrap);
            String tasks = Configs.get(config, KafkaOptions.CONTACT_TASKS_TOPIC);
            String abandoned = Configs.get(config, KafkaOptions.ABANDONED_CARTS_TOPIC);
            String dlq = Configs.get(config, KafkaOptions.DEAD_LETTER_TOPIC);
            String profiles = generatorSettings.profilesTopic();
            String agents = Configs.get(config, KafkaOptions.AGENTS_TOPIC);
            String alerts = Configs.get(config, KafkaOptions.ALERTS_TOPIC);
            String outcomes = Configs.get(config, KafkaOptions.CONTACT_OUTCOMES_TOPIC);
            String taskEvents = Configs.get(config, KafkaOptions.TASK_EVENTS_TOPIC);
            // Every topic the job reads or writes: the job's Kafka sources fail on a missing one.
            Map<String, Integer> partitions = new LinkedHashMap<>();
            partitions.put(generatorSettings.topic(), 4);
            partitions.put(profiles, 2);
            partitions.put(agents, 1);
            partitions.put(outcomes, 2);
            partitions.put(tasks, 2);
            partitions.put(taskEvents, 2);
            partitions.put(abandoned, 2);
            partitions.put(alerts, 1);
            partitions.put(dlq, 1);
            kafka.createTopics(partitions, Set.of(profiles, agents));
            steps.step("Topics: %d ready", partitions.size());
            int roster = publishRoster(home.resolve(DEMO_ROSTER), bootstrap, agents);
            steps.step("Agents: %d on topic %s (from %s)", roster, agents, DEMO_ROSTER);

            // The same state defaults as `run` (RocksDB, checkpoints on disk, bounded memory), so
            // the demo shows what a long run keeps; it does not resume from them (a new demo
            // starts its simulated world anew).
            Configuration flink =
                    StateDefaults.forLocalRun(
                            config, dataDir.toAbsolutePath().resolve("checkpoints"));
            flink.set(RestOptions.PORT, webPort);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
            env.setParallelism(2);
            JobSteps.announce(env, steps);
            StreamingJob.build(env, flink);
            steps.step(
                    "Job built; starting a local Flink (slots, RocksDB state, web UI) with it ...");
            JobClient job = env.executeAsync(StreamingJob.NAME);
            steps.step("Flink web UI: http://localhost:%d", webPort);
            out.printf(
                    "Topics: %s, %s, %s, %s (in); %s, %s, %s, %s, %s (out)%n",
                    generatorSettings.topic(),
                    profiles,
                    agents,
                    outcomes,
                    tasks,
                    taskEvents,
                    abandoned,
                    alerts,
                    dlq);
            steps.step(
                    "Shoppers: %d stores, %s visits/s, speed %s, seed %d, %s. Ctrl-C stops.",
                    generatorSettings.stores(),
                    shoppers.rate,
                    shoppers.speed,
                    generatorSettings.seed(),
                    shoppers.duration() == null
                            ? "until Ctrl-C"
                            : "for " + shoppers.duration().toString().substring(2).toLowerCase());
            out.flush();
            ClickstreamGenerator generator =
                    new ClickstreamGenerator(
                            generatorSettings,
                            ClickstreamGenerator.producer(bootstrap, Duration.ofSeconds(30)));
            try (OutputCounter counter =
                            new OutputCounter(
                                    bootstrap,
                                    tasks,
                                    abandoned,
                                    dlq,
                                    taskEvents,
                                    Configs.get(config, FollowUpOptions.HOLDOUT_SHARE));
                    DialerBridge dialer =
                            new DialerBridge(
                                    bootstrap,
                                    tasks,
                                    outcomes,
                                    new DialerSimulator(generatorSettings.seed()),
                                    generatorSettings.speed(),
                                    generator::simulatedNow,
                                    generator::sendAt,
                                    Duration.ofSeconds(30))) {
                Thread counting = new Thread(counter, "demo-output-counter");
                counting.setDaemon(true);
                counting.start();
                dialer.start();
                steps.step(
                        "Dialer simulator: answers %s with outcomes to %s; some shoppers buy after"
                                + " a contact.",
                        tasks, outcomes);
                runShoppers(generator, counter, dialer, out);
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
                // Cancelling only asks; wait until the job has ended (RocksDB has let go of its
                // files) before Kafka and ClickHouse stop under it. Its result is a cancellation.
                job.getJobExecutionResult()
                        .handle((result, cancelled) -> null)
                        .get(60, TimeUnit.SECONDS);
            }
            return Instant.ofEpochMilli(generator.simulatedNow());
        }
    }

    /**
     * Publishes the demo's contact centre, keyed by agent id as the compacted topic wants. Most of
     * its agents work around the clock: the simulated clock runs fast and starts at any hour.
     *
     * @return how many agents
     */
    private static int publishRoster(Path roster, String bootstrap, String topic)
            throws IOException {
        List<String> lines = Files.readAllLines(roster).stream().filter(l -> !l.isBlank()).toList();
        try (Producer<byte[], byte[]> producer =
                ClickstreamGenerator.producer(bootstrap, Duration.ofSeconds(30))) {
            for (String line : lines) {
                String agentId = ClickEventJson.MAPPER.readTree(line).path("agent_id").asText();
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                agentId.getBytes(StandardCharsets.UTF_8),
                                line.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        return lines.size();
    }

    /** Runs the shoppers until the duration ends or Ctrl-C, printing progress. */
    private void runShoppers(
            ClickstreamGenerator generator,
            OutputCounter counter,
            DialerBridge dialer,
            PrintWriter out) {
        // Ctrl-C runs shutdown hooks and the JVM halts when they end: the hook stops the shoppers
        // and waits until this thread has stopped the dialer, the job and Kafka.
        CountDownLatch stopped = new CountDownLatch(1);
        Thread onCtrlC =
                new Thread(
                        () -> {
                            generator.stop();
                            try {
                                stopped.await(60, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "demo-stop");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            ProgressLine line = new ProgressLine(counter, dialer, out);
            line.accept(generator.run(shoppers.duration(), PROGRESS_EVERY, line));
        } catch (KafkaException e) {
            throw new CommandFailure(
                    "the shoppers cannot write to Kafka: " + GenerateCommand.rootMessage(e));
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException e) {
                // The JVM is shutting down and the hook is running; it ends with this thread.
            }
        }
    }

    /** The progress line, with the event rate since the previous one; the last at the end. */
    private static final class ProgressLine implements Consumer<Progress> {
        private final OutputCounter counter;
        private final DialerBridge dialer;
        private final PrintWriter out;
        private Progress previous;

        ProgressLine(OutputCounter counter, DialerBridge dialer, PrintWriter out) {
            this.counter = counter;
            this.dialer = dialer;
            this.out = out;
        }

        @Override
        public void accept(Progress progress) {
            double rate =
                    previous == null
                            ? progress.eventsPerSecond()
                            : progress.eventsPerSecondSince(previous);
            previous = progress;
            OutputCounter.Counts counts = counter.counts();
            out.printf(
                    "%s  sim %s  %.0f events/s  open carts %d  abandoned %d  tasks %d  outcomes %d"
                            + "  attempted %d  contacted in 30 min %d (%.0f%%)  recovered %d"
                            + "  recovery rate %.1f%%  dead letters %d%n",
                    GenerateCommand.clock(progress.elapsed()),
                    progress.simulatedTime().truncatedTo(ChronoUnit.MINUTES),
                    rate,
                    progress.stats().openCarts(),
                    counts.abandoned(),
                    counts.tasksCreated(),
                    dialer.sent(),
                    counts.attempted(),
                    counts.contactedInTime(),
                    100 * counts.contactedInTimeShare(),
                    counts.recovered(),
                    100 * counts.recoveryRate(),
                    counts.deadLetters());
            out.flush();
        }
    }
}

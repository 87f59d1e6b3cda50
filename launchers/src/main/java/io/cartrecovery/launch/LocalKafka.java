package io.cartrecovery.launch;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) for local runs,
 * started as a child process from Kafka's Maven artifacts (module local-kafka). Its data stays in a
 * folder of the caller's, so a second run finds its topics again.
 */
public final class LocalKafka implements AutoCloseable {
    /**
     * How long a starting broker may take to answer. Ready is usually a matter of seconds; on a
     * loaded machine (builds in parallel on two cores) a restart on existing data has been seen to
     * take more than a minute, so the wait is long and costs nothing when the broker is quick.
     */
    private static final Duration STARTUP = Duration.ofMinutes(3);

    /**
     * The broker's log, into {@code broker.log} beside its data: what it did at INFO (starts,
     * topics, leaders, producer ids), so a client's timeout can be explained afterwards. Without a
     * configuration Kafka's log4j2 prints errors only.
     */
    private static final String LOGGING =
            String.join(
                            "\n",
                            "appender.out.type = Console",
                            "appender.out.name = out",
                            "appender.out.layout.type = PatternLayout",
                            "appender.out.layout.pattern = [%d] %p %m (%c)%n",
                            "rootLogger.level = info",
                            "rootLogger.appenderRef.out.ref = out",
                            "logger.state.name = state.change.logger",
                            "logger.state.level = warn",
                            "logger.log.name = org.apache.kafka.storage",
                            "logger.log.level = warn",
                            "logger.cleaner.name = kafka.log",
                            "logger.cleaner.level = warn")
                    + "\n";

    private final Process process;
    private final String bootstrapServers;

    private LocalKafka(Process process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * @param classpathFile the broker classpath written by the local-kafka module's build
     * @param dataDir where the broker keeps its logs and metadata
     * @param port the client port; the controller listens on {@code port + 1}
     */
    public static LocalKafka start(Path classpathFile, Path dataDir, int port)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(classpathFile)) {
            throw new LocalRunException(
                    "the local Kafka broker is not built ("
                            + classpathFile
                            + " is missing): run `mvn -q -DskipTests package` first");
        }
        requireFree(port, "Kafka");
        requireFree(port + 1, "the Kafka controller");
        String classpath = Files.readString(classpathFile).strip();
        Files.createDirectories(dataDir);
        Path config = dataDir.resolve("server.properties");
        Path logs = dataDir.resolve("logs");
        Files.writeString(config, serverProperties(port, logs), StandardCharsets.UTF_8);
        Path logging = dataDir.resolve("log4j2.properties");
        Files.writeString(logging, LOGGING, StandardCharsets.UTF_8);
        String loggingFlag = "-Dlog4j2.configurationFile=" + logging.toUri();
        Path log = dataDir.resolve("broker.log");
        if (!Files.exists(logs.resolve("meta.properties"))) {
            run(
                    List.of(
                            java(),
                            loggingFlag,
                            "-cp",
                            classpath,
                            "kafka.tools.StorageTool",
                            "format",
                            "--standalone",
                            "-t",
                            Uuid.randomUuid().toString(),
                            "-c",
                            config.toString()),
                    log);
        }
        Process broker =
                new ProcessBuilder(
                                java(),
                                "-Xmx512m",
                                loggingFlag,
                                "-cp",
                                classpath,
                                "kafka.Kafka",
                                config.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        LocalKafka kafka = new LocalKafka(broker, "localhost:" + port);
        try {
            kafka.awaitReady(STARTUP, log);
        } catch (RuntimeException | InterruptedException e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates the topics that do not exist yet. */
    public void createTopics(Map<String, Integer> partitionsByTopic) throws Exception {
        createTopics(partitionsByTopic, Set.of());
    }

    /**
     * Creates the topics that do not exist yet.
     *
     * @param compacted the topics that keep only the latest record of each key (e.g. profiles)
     */
    public void createTopics(Map<String, Integer> partitionsByTopic, Set<String> compacted)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            var existing = admin.listTopics().names().get();
            List<NewTopic> missing =
                    partitionsByTopic.entrySet().stream()
                            .filter(e -> !existing.contains(e.getKey()))
                            .map(
                                    e ->
                                            new NewTopic(e.getKey(), e.getValue(), (short) 1)
                                                    .configs(
                                                            compacted.contains(e.getKey())
                                                                    ? Map.of(
                                                                            "cleanup.policy",
                                                                            "compact")
                                                                    : Map.of()))
                            .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        }
    }

    private void awaitReady(Duration timeout, Path log) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            if (!process.isAlive()) {
                throw new LocalRunException("the Kafka broker stopped at start; see " + log);
            }
            try (Admin admin =
                    Admin.create(
                            Map.of(
                                    "bootstrap.servers", bootstrapServers,
                                    "request.timeout.ms", "2000",
                                    "default.api.timeout.ms", "2000"))) {
                admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                return;
            } catch (Exception notYet) {
                Thread.sleep(500);
            }
        }
        throw new LocalRunException(
                "the Kafka broker did not come up in " + timeout + "; see " + log);
    }

    private static String serverProperties(int port, Path logs) {
        int controller = port + 1;
        return String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.bootstrap.servers=localhost:" + controller,
                        "listeners=PLAINTEXT://localhost:"
                                + port
                                + ",CONTROLLER://localhost:"
                                + controller,
                        "advertised.listeners=PLAINTEXT://localhost:" + port,
                        "controller.listener.names=CONTROLLER",
                        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                        "log.dirs=" + logs,
                        "num.partitions=2",
                        "offsets.topic.replication.factor=1",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "group.initial.rebalance.delay.ms=0")
                + "\n";
    }

    private static void run(List<String> command, Path log)
            throws IOException, InterruptedException {
        Process p =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        if (p.waitFor() != 0) {
            throw new LocalRunException("formatting Kafka's storage failed; see " + log);
        }
    }

    /** Refuses a port another program holds, before anything is started. */
    public static void requireFree(int port, String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("localhost", port));
        } catch (IOException e) {
            throw new LocalRunException(
                    "port " + port + " (" + what + ") is in use; pick another one (see --help)");
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Stops the broker: politely first (it flushes its logs), then by force. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

package io.cartrecovery.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartrecovery.clickhouse.ClickHouseHttp;
import io.cartrecovery.clickhouse.Migrations;
import io.cartrecovery.clickhouse.SchemaMigrator;
import io.cartrecovery.config.ClickHouseOptions;
import io.cartrecovery.config.ClickHouseSettings;
import io.cartrecovery.config.Configs;
import io.cartrecovery.launch.LocalClickHouse;
import io.cartrecovery.launch.LocalKafka;
import io.cartrecovery.launch.LocalRunException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the measurements share: the input file, the job settings, and the Flink cluster and Kafka
 * broker, each started on first use and stopped at the end.
 */
final class BenchContext implements AutoCloseable {
    static final String CLICKSTREAM_TOPIC = "bench-clickstream";

    /** Partitions of the clickstream topic: one per core of the machine the issue measured on. */
    static final int PARTITIONS = 2;

    private static final int WARM_UP_EVENTS = 2_000;

    private final Path out;
    private final Path input;
    private final Path warmUpInput;
    private final ClickstreamMix.Mix mix;
    private final Map<String, String> settings;
    private final Duration checkpointInterval;
    private final int parallelism;
    private final boolean useClickHouse;
    private FlinkCluster flink;
    private LocalClickHouse clickHouse;
    private ProcessHandle clickHouseProcess;
    private boolean clickHouseTried;
    private LocalKafka kafka;
    private ProcessHandle broker;
    private Long distinctCartKeys;

    BenchContext(
            Path out,
            Path input,
            ClickstreamMix.Mix mix,
            Map<String, String> settings,
            Duration checkpointInterval,
            int parallelism,
            boolean useClickHouse)
            throws IOException {
        this.out = out;
        this.input = input;
        this.mix = mix;
        this.settings = settings;
        this.checkpointInterval = checkpointInterval;
        this.parallelism = parallelism;
        this.useClickHouse = useClickHouse;
        this.warmUpInput = out.resolve("warm-up.jsonl");
        try (Stream<String> lines = Files.lines(input)) {
            Files.write(warmUpInput, lines.limit(WARM_UP_EVENTS).toList());
        }
    }

    Path out() {
        return out;
    }

    Path input() {
        return input;
    }

    /** The first lines of the input: enough to start every operator, too few to take time. */
    Path warmUpInput() {
        return warmUpInput;
    }

    ClickstreamMix.Mix mix() {
        return mix;
    }

    Duration checkpointInterval() {
        return checkpointInterval;
    }

    int parallelism() {
        return parallelism;
    }

    /** The job settings: defaults, with the bench's {@code -D} overrides. */
    Configuration jobConfig() {
        return Configs.load(null, settings);
    }

    FlinkCluster flink() throws Exception {
        if (flink == null) {
            flink = new FlinkCluster(parallelism, out.resolve("checkpoints"));
        }
        return flink;
    }

    /** Distinct cart keys of the input: the keys the ceiling holds state for. */
    long distinctCartKeys() throws IOException {
        if (distinctCartKeys == null) {
            ObjectMapper mapper = new ObjectMapper();
            Set<String> keys = new HashSet<>();
            try (BufferedReader reader = Files.newBufferedReader(input)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    keys.add(KeyedCeiling.CartKey.key(mapper.readTree(line)));
                }
            }
            distinctCartKeys = (long) keys.size();
        }
        return distinctCartKeys;
    }

    /** Creates topics on the bench's broker (started with {@link #kafka} first). */
    void createTopics(Map<String, Integer> partitionsByTopic) throws Exception {
        kafka();
        kafka.createTopics(partitionsByTopic);
    }

    /**
     * A real broker (module local-kafka) in a folder of its own, with the input loaded into {@link
     * #CLICKSTREAM_TOPIC}, keyed by cart as docs/clickstream.md asks producers to.
     */
    String kafka() throws Exception {
        if (kafka == null) {
            Path home = Path.of(System.getProperty("cartrecovery.home", ".")).toAbsolutePath();
            Path data = out.resolve("kafka");
            deleteRecursively(data);
            kafka =
                    LocalKafka.start(
                            home.resolve("local-kafka/target/classpath.txt"), data, freePorts());
            broker = child("kafka.Kafka");
            kafka.createTopics(
                    Map.of(
                            CLICKSTREAM_TOPIC,
                            PARTITIONS,
                            "bench-profiles",
                            1,
                            "bench-agents",
                            1,
                            "bench-outcomes",
                            1),
                    Set.of("bench-profiles", "bench-agents"));
            load(kafka.bootstrapServers());
        }
        return kafka.bootstrapServers();
    }

    /** The broker process, whose CPU the Kafka measurements count; null before {@link #kafka}. */
    ProcessHandle broker() {
        return broker;
    }

    /**
     * A local ClickHouse (the demo's) with the schema applied, for the facts and KPI windows of
     * `run`; null when it is not installed or not wanted ({@code --no-clickhouse}).
     */
    String clickHouse() throws Exception {
        if (!clickHouseTried) {
            clickHouseTried = true;
            if (useClickHouse && LocalClickHouse.binary().isPresent()) {
                Path dir = out.resolve("clickhouse").toAbsolutePath();
                deleteRecursively(dir);
                int port = freePorts();
                clickHouse = LocalClickHouse.start(dir, port, port + 1);
                clickHouseProcess = child("clickhouse");
                Configuration config = jobConfig();
                config.set(ClickHouseOptions.URL, clickHouse.url());
                ClickHouseSettings facts = ClickHouseSettings.from(config).orElseThrow();
                new SchemaMigrator(new ClickHouseHttp(facts), facts.database())
                        .apply(Migrations.bundled());
            }
        }
        return clickHouse == null ? null : clickHouse.url();
    }

    /** The ClickHouse server process, whose CPU `run` counts; null without one. */
    ProcessHandle clickHouseProcess() {
        return clickHouseProcess;
    }

    private static ProcessHandle child(String commandPart) {
        return ProcessHandle.current()
                .children()
                .filter(p -> p.info().commandLine().map(c -> c.contains(commandPart)).orElse(false))
                .findFirst()
                .orElse(null);
    }

    private void load(String bootstrapServers) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Object> config =
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.LINGER_MS_CONFIG,
                        20,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        256 * 1024,
                        ProducerConfig.ACKS_CONFIG,
                        "all");
        try (KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(
                                config, new ByteArraySerializer(), new ByteArraySerializer());
                BufferedReader reader = Files.newBufferedReader(input)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String key = KeyedCeiling.CartKey.key(mapper.readTree(line));
                producer.send(
                        new ProducerRecord<>(
                                CLICKSTREAM_TOPIC,
                                key.getBytes(StandardCharsets.UTF_8),
                                line.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    /** A free port whose successor (the controller's, or ClickHouse's native one) is free too. */
    private static int freePorts() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            try {
                LocalKafka.requireFree(port + 1, "the second port");
                return port;
            } catch (LocalRunException taken) {
                // Try another one.
            }
        }
        throw new IOException("found no two free ports in a row for the broker");
    }

    static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (flink != null) {
                flink.close();
            }
        } finally {
            try {
                if (kafka != null) {
                    kafka.close();
                }
            } finally {
                if (clickHouse != null) {
                    clickHouse.close();
                }
            }
        }
    }
}

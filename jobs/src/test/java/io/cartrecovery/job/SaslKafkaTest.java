package io.cartrecovery.job;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.ReplayRun.clockAt;
import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.cli.JobCli;
import io.cartrecovery.config.Configs;
import io.cartrecovery.sinks.KafkaTopics;
import io.cartrecovery.testing.ConsoleCapture;
import io.cartrecovery.testing.KafkaBroker;
import io.cartrecovery.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production job against a real broker whose listener takes SASL/PLAIN only: the credentials
 * come from {@code kafka.properties-file}, every client of the job (the four sources, the
 * transactional sinks, the topic check) logs in with them, and neither the password nor the JAAS
 * line holding it shows up in anything the job logs at INFO or prints.
 */
class SaslKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

    @TempDir static Path dir;

    private static KafkaBroker kafka;
    private static Path credentials;

    @BeforeAll
    static void startKafkaWithSasl() throws Exception {
        kafka = KafkaBroker.startSasl();
        for (var topic : KafkaTopics.ALL) {
            kafka.createTopic(Configs.get(new Configuration(), topic), 1);
        }
        credentials = dir.resolve("kafka-client.properties");
        StringBuilder file = new StringBuilder();
        KafkaBroker.saslClient(KafkaBroker.SASL_USER, KafkaBroker.SASL_PASSWORD)
                .forEach((k, v) -> file.append(k).append('=').append(v).append('\n'));
        Files.writeString(credentials, file);
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    private static Map<String, String> settings(Path properties) {
        Map<String, String> settings = new HashMap<>();
        settings.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        settings.put("kafka.properties-file", properties.toString());
        settings.put("kafka.group-id", "sasl-test");
        settings.put("delivery.checkpoint-interval", "500ms");
        settings.put("delivery.transactional-id-prefix", "sasl-test");
        settings.put("followup.holdout-share", "0");
        settings.put("ingest.out-of-orderness", "1s");
        settings.put("ingest.max-event-time-step", "3650d");
        settings.put("ingest.idle-timeout", "1s");
        return settings;
    }

    @Test
    void withoutCredentialsTheBrokerRefusesAClient() throws Exception {
        try (Admin admin =
                Admin.create(
                        Map.of(
                                "bootstrap.servers", kafka.bootstrapServers(),
                                "request.timeout.ms", 3000,
                                "default.api.timeout.ms", 3000))) {
            assertThat(admin.listTopics().names())
                    .as("a PLAINTEXT client of the SASL listener gets nowhere")
                    .failsWithin(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theJobRunsWithSaslCredentialsFromItsPropertiesFileAndNeverLogsThem() throws Exception {
        String profile =
                "{\"store_id\":\"shop-1\",\"customer_id\":\"sasl-alice\","
                        + "\"email\":\"alice@example.com\",\"consent\":{\"email\":{\"granted\":true}}}";
        kafka.send("customer-profiles", 0, List.of(profile.getBytes(StandardCharsets.UTF_8)));
        String log;
        List<ConsumerRecord<byte[], byte[]>> tasks;
        try (LogCapture logs = LogCapture.start()) {
            Configuration config = Configs.load(null, settings(credentials));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(config);
            env.setParallelism(1);
            JobClient job = StreamingJob.start(env, config);
            try {
                kafka.send(
                        "clickstream",
                        0,
                        List.of(
                                add("p1", 1, "10.00")
                                        .customer("sasl-alice")
                                        .atMinute(0)
                                        .json()
                                        .getBytes(StandardCharsets.UTF_8),
                                clockAt(30).getBytes(StandardCharsets.UTF_8)));
                tasks = kafka.readUntil("contact-tasks", r -> !r.isEmpty(), WAIT);
            } finally {
                job.cancel().get();
            }
            log = logs.text();
        }
        assertThat(tasks).as("a contact task, through SASL both ways").isNotEmpty();
        assertThat(new String(tasks.get(0).value(), StandardCharsets.UTF_8)).contains("sasl-alice");
        assertThat(log)
                .as("the job's logs at INFO")
                .contains("sasl.mechanism = PLAIN")
                .doesNotContain(KafkaBroker.SASL_PASSWORD);
        assertThat(console.stdout() + console.stderr()).doesNotContain(KafkaBroker.SASL_PASSWORD);
    }

    @Test
    void runWithWrongCredentialsIsAOneLineErrorWithoutThem() throws Exception {
        Path wrong = dir.resolve("wrong.properties");
        StringBuilder file = new StringBuilder();
        KafkaBroker.saslClient(KafkaBroker.SASL_USER, "not-the-password-42")
                .forEach((k, v) -> file.append(k).append('=').append(v).append('\n'));
        Files.writeString(wrong, file);
        int exit =
                JobCli.execute(
                        "run",
                        "-D",
                        "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "-D",
                        "kafka.properties-file=" + wrong);
        assertThat(exit).isNotZero();
        assertThat(console.stderr().strip())
                .startsWith(
                        "cart-recovery: Kafka at "
                                + kafka.bootstrapServers()
                                + " refused the job's credentials (kafka.properties-file): ")
                .doesNotContain("not-the-password-42")
                .doesNotContain("\n");
    }
}

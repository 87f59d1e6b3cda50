package io.cartrecovery.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrecovery.config.ClickHouseSettings;
import io.cartrecovery.config.Configs;
import io.cartrecovery.config.KafkaClientProperties;
import io.cartrecovery.settings.ConfigException;
import io.cartrecovery.testing.ConsoleCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials come from files, the environment or a --config file, never from the command line, and
 * never show up in what a command prints (docs/security.md).
 */
class CredentialsTest {
    @TempDir Path dir;

    @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

    private static final String SECRET = "s3cret-do-not-print";

    @Test
    void aPasswordOnTheCommandLineIsRefusedWithoutBeingPrinted() {
        for (String setting :
                new String[] {
                    "clickhouse.password=" + SECRET,
                    "clickhouse.hash-key=" + SECRET,
                    "kafka.properties.sasl.jaas.config=x password=\"" + SECRET + "\";",
                    "kafka.properties.ssl.truststore.password=" + SECRET
                }) {
            console.reset();
            assertThat(
                            JobCli.execute(
                                    "schema",
                                    "apply",
                                    "--clickhouse-url",
                                    "http://127.0.0.1:1",
                                    "-D",
                                    setting))
                    .as(setting)
                    .isEqualTo(2);
            String key = setting.substring(0, setting.indexOf('='));
            assertThat(console.stderr().strip())
                    .startsWith("cart-recovery: " + key + " is a credential: on the command line")
                    .doesNotContain(SECRET)
                    .doesNotContain("\n");
        }
        assertThat(console.stderr()).contains("put it in kafka.properties-file");
    }

    @Test
    void theClickHousePasswordComesFromAFileOrTheEnvironment() throws Exception {
        Path file = dir.resolve("password");
        Files.writeString(file, SECRET + "\n");
        ClickHouseSettings fromFile =
                ClickHouseSettings.from(
                                Configs.load(
                                        null,
                                        Map.of(
                                                "clickhouse.url",
                                                "http://ch:8123",
                                                "clickhouse.password-file",
                                                file.toString())))
                        .orElseThrow();
        assertThat(fromFile.password()).as("one trailing line break dropped").isEqualTo(SECRET);
        assertThat(fromFile.toString()).doesNotContain(SECRET);

        String variable = System.getenv().keySet().stream().findFirst().orElseThrow();
        ClickHouseSettings fromEnv =
                ClickHouseSettings.from(
                                Configs.load(
                                        null,
                                        Map.of(
                                                "clickhouse.url",
                                                "http://ch:8123",
                                                "clickhouse.password-env",
                                                variable)))
                        .orElseThrow();
        assertThat(fromEnv.password()).isEqualTo(System.getenv(variable));
    }

    @Test
    void aMissingPasswordSourceIsAOneLineError() {
        assertThat(
                        JobCli.execute(
                                "schema",
                                "apply",
                                "--clickhouse-url",
                                "http://127.0.0.1:1",
                                "-D",
                                "clickhouse.password-file=" + dir.resolve("nope")))
                .isEqualTo(2);
        assertThat(console.stderr().strip())
                .isEqualTo(
                        "cart-recovery: clickhouse.password-file: "
                                + dir.resolve("nope")
                                + " does not exist");
        console.reset();
        assertThat(
                        JobCli.execute(
                                "schema",
                                "apply",
                                "--clickhouse-url",
                                "http://127.0.0.1:1",
                                "-D",
                                "clickhouse.password-env=CART_RECOVERY_NOT_SET_ANYWHERE"))
                .isEqualTo(2);
        assertThat(console.stderr().strip())
                .isEqualTo(
                        "cart-recovery: clickhouse.password-env: the environment variable"
                                + " CART_RECOVERY_NOT_SET_ANYWHERE is not set");
    }

    @Test
    void twoPasswordSourcesAreAnError() throws Exception {
        Path file = dir.resolve("password");
        Files.writeString(file, SECRET);
        assertThatThrownBy(
                        () ->
                                Configs.load(
                                        null,
                                        Map.of(
                                                "clickhouse.url",
                                                "http://ch:8123",
                                                "clickhouse.password",
                                                SECRET,
                                                "clickhouse.password-file",
                                                file.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "set only one of clickhouse.password, clickhouse.password-file and"
                                + " clickhouse.password-env");
    }

    @Test
    void aPasswordInTheConfigFileIsAccepted() throws Exception {
        Path config = dir.resolve("job.yaml");
        Files.writeString(
                config, "clickhouse.url: http://ch:8123\nclickhouse.password: " + SECRET + "\n");
        assertThat(ClickHouseSettings.from(Configs.load(config, Map.of())).orElseThrow().password())
                .isEqualTo(SECRET);
    }

    @Test
    void kafkaClientPropertiesComeFromTheFileAndSingleSettings() throws Exception {
        Path file = dir.resolve("kafka.properties");
        Files.writeString(
                file,
                "security.protocol=SASL_SSL\n"
                        + "sasl.mechanism=SCRAM-SHA-512\n"
                        + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule"
                        + " required username=\"job\" password=\""
                        + SECRET
                        + "\";\n");
        Properties properties =
                KafkaClientProperties.from(
                        Configs.load(
                                null,
                                Map.of(
                                        "kafka.properties-file", file.toString(),
                                        "kafka.properties.sasl.mechanism", "PLAIN",
                                        "kafka.properties.client.dns.lookup", "use_all_dns_ips")));
        assertThat(properties)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("client.dns.lookup", "use_all_dns_ips");
        assertThat(properties.getProperty("sasl.jaas.config")).contains(SECRET);
    }

    @Test
    void kafkaPropertiesTheJobOwnsAreRefused() {
        assertThatThrownBy(
                        () ->
                                Configs.load(
                                        null,
                                        Map.of("kafka.properties.bootstrap.servers", "k:9092")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "the Kafka client property bootstrap.servers is set by the job: use"
                                + " kafka.bootstrap-servers (from kafka.properties-file or"
                                + " kafka.properties.bootstrap.servers)");
        assertThatThrownBy(
                        () ->
                                Configs.load(
                                        null,
                                        Map.of(
                                                "kafka.properties.isolation.level",
                                                "read_uncommitted")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("isolation.level is set by the job and cannot be overridden");
        assertThatThrownBy(
                        () ->
                                Configs.load(
                                        null,
                                        Map.of(
                                                "kafka.properties-file",
                                                dir.resolve("missing.properties").toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not exist");
    }
}

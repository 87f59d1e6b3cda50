package io.cartrecovery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.config.KafkaOptions;
import io.cartrecovery.testing.ConsoleCapture;
import io.cartrecovery.testing.KafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code run} against a real broker that lacks topics: one line, before any job starts. */
class RunCommandTest {
    @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

    private static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaBroker.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void missingTopicIsOneLineNamingItAndItsSetting() throws Exception {
        kafka.createTopic("run-clickstream", 1);
        int exit =
                JobCli.execute(
                        "run",
                        "-D",
                        KafkaOptions.BOOTSTRAP_SERVERS.key() + "=" + kafka.bootstrapServers(),
                        "-D",
                        KafkaOptions.CLICKSTREAM_TOPIC.key() + "=run-clickstream");

        assertThat(exit).isEqualTo(1);
        assertThat(console.stderr().strip())
                .isEqualTo(
                        "cart-recovery: topic 'customer-profiles' (topic.customer-profiles) does"
                                + " not exist at "
                                + kafka.bootstrapServers()
                                + " (and 7 more topics); create them first (README, Topics and"
                                + " formats)");
        // Each start-up step is a line with its time, so a slow step shows which it is.
        assertThat(console.stdout())
                .containsPattern(
                        "(?m)^\\[ ?\\d+\\.\\ds] Kafka reachable at " + kafka.bootstrapServers());
    }
}

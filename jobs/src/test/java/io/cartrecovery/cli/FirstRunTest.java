package io.cartrecovery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.testing.ConsoleCapture;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a newcomer meets first: help that agrees with itself, and no Kafka said in one line. */
class FirstRunTest {
    @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

    @Test
    void runHelpListsTheSettingsWithTheirDefaults() {
        // "see the list below" holds for every command that takes --config.
        JobCli.execute("run", "--help");
        assertThat(console.stdout())
                .contains("see the list below")
                .contains("ingest.idle-timeout (default: 30 s)")
                .contains("detection.gap (default: 10 min)");
    }

    @Test
    void runWithoutKafkaSaysWhatToDoInOneLine() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        long start = System.nanoTime();
        int exit = JobCli.execute("run", "-D", "kafka.bootstrap-servers=localhost:" + port);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(exit).isEqualTo(CommandLines.FAILURE);
        assertThat(console.stderr().strip())
                .isEqualTo(
                        "cart-recovery: no Kafka answers at localhost:"
                                + port
                                + " (kafka.bootstrap-servers) within 3 s: start Kafka there or set"
                                + " -D kafka.bootstrap-servers=HOST:PORT; to try everything on"
                                + " this machine, run 'bin/cart-recovery demo'");
        // Before: the topic check waited out its 15 s timeout, then said nothing of what to do.
        assertThat(took).isLessThan(Duration.ofSeconds(12));
        assertThat(console.stdout()).isEmpty();
    }

    /**
     * A broker that accepts connections but is slow to answer (a loaded machine, found by
     * FaultToleranceIT when a job resumed from a savepoint) is not reported as absent after 3 s:
     * only nothing listening is.
     */
    @Test
    void onlyNothingListeningIsNoKafka() throws IOException {
        try (ServerSocket listening = new ServerSocket(0)) {
            int open = listening.getLocalPort();
            int closed;
            try (ServerSocket socket = new ServerSocket(0)) {
                closed = socket.getLocalPort();
            }
            Duration timeout = KafkaReachable.TIMEOUT;
            assertThat(KafkaReachable.anyAcceptsConnections("localhost:" + open, timeout)).isTrue();
            assertThat(
                            KafkaReachable.anyAcceptsConnections(
                                    "localhost:" + closed + ", localhost:" + open, timeout))
                    .isTrue();
            assertThat(KafkaReachable.anyAcceptsConnections("localhost:" + closed, timeout))
                    .isFalse();
        }
        assertThat(KafkaReachable.ANSWER_TIMEOUT).isGreaterThan(KafkaReachable.TIMEOUT);
    }

    @Test
    void aStartupStepCarriesItsTime() {
        assertThat(StartupSteps.line(3.21, "Kafka ready on localhost:9092"))
                .isEqualTo("[ 3.2s] Kafka ready on localhost:9092");
        assertThat(StartupSteps.line(95.04, "Detection job running"))
                .isEqualTo("[95.0s] Detection job running");
    }
}

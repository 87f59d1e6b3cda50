package io.cartrecovery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cart-recovery demo} for real: a Kafka broker process, the job in a local Flink with its
 * web UI, simulated shoppers; a bounded run must produce tasks and leave nothing running.
 */
class DemoCommandTest {
    @TempDir Path dir;

    /** The repository root: where the build wrote the local broker's classpath. */
    private static Path home() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("local-kafka/target/classpath.txt"))) {
                return p;
            }
        }
        throw new IllegalStateException(
                "local-kafka/target/classpath.txt not found: build from the repository root"
                        + " (mvn verify builds local-kafka before jobs)");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void boundedDemoRunEmitsTasksAndStopsEverythingItStarted() throws Exception {
        int kafkaPort = freePort();
        int webPort = freePort();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setProperty("cartrecovery.home", home().toString());
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit =
                    CartRecoveryCli.execute(
                            "demo",
                            "--duration",
                            "40s",
                            "--speed",
                            "120",
                            "--rate",
                            "8",
                            "--seed",
                            "7",
                            "--kafka-port",
                            String.valueOf(kafkaPort),
                            "--web-port",
                            String.valueOf(webPort),
                            "--data-dir",
                            dir.toString());
        } finally {
            System.setOut(stdout);
            System.clearProperty("cartrecovery.home");
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        assertThat(printed)
                .contains("Flink web UI: http://localhost:" + webPort)
                .contains("Demo stopped");
        Matcher last =
                Pattern.compile(
                                "abandoned (\\d+)  tasks (\\d+)  cancelled \\d+  dead letters (\\d+)")
                        .matcher(printed);
        String tasks = null;
        String deadLetters = null;
        while (last.find()) {
            tasks = last.group(2);
            deadLetters = last.group(3);
        }
        assertThat(tasks).as(printed).isNotNull();
        assertThat(Integer.parseInt(tasks)).as(printed).isPositive();
        // Everything the generator sends is valid: any dead letter is a bug.
        assertThat(deadLetters).as(printed).isEqualTo("0");
        // The broker process and the web UI are gone: their ports are free again.
        try (ServerSocket kafka = new ServerSocket(kafkaPort);
                ServerSocket web = new ServerSocket(webPort)) {
            assertThat(kafka.isBound() && web.isBound()).isTrue();
        }
    }
}

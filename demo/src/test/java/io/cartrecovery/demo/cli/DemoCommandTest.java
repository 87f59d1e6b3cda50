package io.cartrecovery.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrecovery.clickhouse.ClickHouseHttp;
import io.cartrecovery.config.ClickHouseOptions;
import io.cartrecovery.config.ClickHouseSettings;
import io.cartrecovery.config.Configs;
import io.cartrecovery.launch.LocalClickHouse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cart-recovery demo} for real: a Kafka broker process, the job in a local Flink with its
 * web UI, simulated shoppers and the dialer simulator; a bounded run must produce tasks, outcomes
 * the job takes in, parseable counters, and leave nothing running.
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

    /** Whether the port can be bound within the given seconds. */
    private static boolean freeWithin(int port, int seconds) throws InterruptedException {
        for (int tries = 0; tries < seconds * 4; tries++) {
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.isBound();
            } catch (IOException taken) {
                Thread.sleep(250);
            }
        }
        return false;
    }

    /** A free port whose successor is free too (the demo's servers take two ports each). */
    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = freePort();
            try (ServerSocket next = new ServerSocket(port + 1)) {
                return next.getLocalPort() - 1;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no two free ports in a row");
    }

    @Test
    void boundedDemoRunEmitsTasksAndStopsEverythingItStarted() throws Exception {
        int kafkaPort = freePortPair();
        int webPort = freePort();
        int clickHousePort = freePortPair();
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
                            "45s",
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
                            "--clickhouse-port",
                            String.valueOf(clickHousePort),
                            "--data-dir",
                            dir.toString());
        } finally {
            System.setOut(stdout);
            System.clearProperty("cartrecovery.home");
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        // In the test report, to see what a run shows.
        stdout.print(printed);
        assertThat(exit).as(printed).isZero();
        assertThat(printed)
                .contains("Flink web UI: http://localhost:" + webPort)
                // Else the simulated hours may be night in the stores' zones, and no contact.
                .contains("Contact window: around the clock in the demo")
                .contains("Demo stopped");
        // A line for each start-up step, with its time, in order: no long silence unexplained.
        assertThat(
                        printed.lines()
                                .filter(l -> l.matches("\\[ ?\\d+\\.\\ds] .*"))
                                .map(l -> l.substring(l.indexOf(']') + 2))
                                .map(l -> l.split("[ ;(:]+")[0] + " " + l.split("[ ;(:]+")[1])
                                .toList())
                .containsSubsequence(
                        "Starting Kafka",
                        "Kafka ready",
                        "Topics 9",
                        "Agents 5",
                        "Building the",
                        "Job built",
                        "Detection job",
                        "Flink web",
                        "Shoppers 3",
                        "Dialer simulator");
        Matcher line =
                Pattern.compile(
                                "abandoned (\\d+)  tasks (\\d+)  outcomes (\\d+)  attempted (\\d+)"
                                        + "  contacted in 30 min (\\d+) \\((\\d+)%\\)  recovered (\\d+)"
                                        + "  recovery rate (\\d+\\.\\d)%  dead letters (\\d+)")
                        .matcher(printed);
        long[] last = null;
        String rate = null;
        int lines = 0;
        while (line.find()) {
            lines++;
            last = new long[9];
            for (int i = 0; i < 9; i++) {
                last[i] = i == 7 ? 0 : Long.parseLong(line.group(i + 1));
            }
            rate = line.group(8);
        }
        assertThat(lines).as(printed).isGreaterThanOrEqualTo(2);
        long abandoned = last[0];
        long tasks = last[1];
        long outcomes = last[2];
        long attempted = last[3];
        long contactedInTime = last[4];
        long recovered = last[6];
        assertThat(tasks).as(printed).isPositive();
        // The dialer answered tasks, and the job took its outcomes in: attempts became task events.
        assertThat(outcomes).as(printed).isPositive();
        assertThat(attempted).as(printed).isPositive().isLessThanOrEqualTo(outcomes);
        // Shares are of the abandoned carts, so they cannot exceed them.
        assertThat(contactedInTime).as(printed).isLessThanOrEqualTo(abandoned);
        assertThat(last[5]).as(printed).isBetween(0L, 100L);
        assertThat(recovered).as(printed).isLessThanOrEqualTo(abandoned);
        assertThat(Double.parseDouble(rate)).as(printed).isBetween(0.0, 100.0);
        // Everything the generator and the dialer send is valid: any dead letter is a bug.
        assertThat(last[8]).as(printed).isZero();
        // The broker, ClickHouse and the web UI are gone: their ports are free again (the
        // embedded Flink closes its web UI asynchronously once the job has ended: allow it a
        // moment).
        for (int port : new int[] {kafkaPort, webPort, clickHousePort}) {
            assertThat(freeWithin(port, 30)).as("port %d free after the demo", port).isTrue();
        }
        // A second demo on the same data would report the same carts again: refused, in one line.
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int again;
        try {
            again =
                    CartRecoveryCli.execute(
                            "demo",
                            "--kafka-port",
                            String.valueOf(kafkaPort),
                            "--web-port",
                            String.valueOf(webPort),
                            "--clickhouse-port",
                            String.valueOf(clickHousePort),
                            "--data-dir",
                            dir.toString());
        } finally {
            System.setErr(stderr);
        }
        String refusal = err.toString(StandardCharsets.UTF_8).strip();
        assertThat(again).as(refusal).isNotZero();
        assertThat(refusal)
                .startsWith("cart-recovery: ")
                .contains("earlier demo", "--fresh")
                .doesNotContain("\n");
        // The facts reached ClickHouse: its data outlives the demo, like Kafka's.
        assertThat(printed).contains("ClickHouse: http://127.0.0.1:" + clickHousePort);
        // The leadership report of the run (docs/report.md), written before ClickHouse stopped.
        Path report = dir.resolve("report/report.html").toAbsolutePath();
        assertThat(printed).contains("Report: " + report);
        assertThat(Files.readString(report))
                .contains("Abandoned carts")
                .doesNotContain("Report: not written");
        try (LocalClickHouse clickHouse =
                LocalClickHouse.start(
                        dir.resolve("clickhouse"), clickHousePort, clickHousePort + 1)) {
            String count =
                    new ClickHouseHttp(
                                    ClickHouseSettings.from(
                                                    Configs.load(
                                                            null,
                                                            Map.of(
                                                                    ClickHouseOptions.URL.key(),
                                                                    clickHouse.url())))
                                            .orElseThrow())
                            .execute(
                                    ClickHouseOptions.DATABASE.defaultValue(),
                                    "SELECT count() FROM abandoned_carts_latest FORMAT TSV");
            assertThat(Long.parseLong(count.strip())).as(printed).isPositive();
        }
    }

    @Test
    void freshDeletesOnlyWhatAnEarlierDemoLeft() throws Exception {
        for (String name : DemoCommand.DEMO_DATA) {
            Files.createDirectories(dir.resolve(name).resolve("sub"));
            Files.writeString(dir.resolve(name).resolve("sub").resolve("data"), "old");
        }
        Files.writeString(dir.resolve("notes.txt"), "mine");
        DemoCommand refusing = new DemoCommand();
        refusing.dataDir = dir;
        StringWriter printed = new StringWriter();
        assertThatThrownBy(() -> refusing.startClean(new PrintWriter(printed)))
                .hasMessageContaining("--fresh");
        assertThat(dir.resolve("kafka")).exists();

        DemoCommand fresh = new DemoCommand();
        fresh.dataDir = dir;
        fresh.fresh = true;
        fresh.startClean(new PrintWriter(printed, true));
        for (String name : DemoCommand.DEMO_DATA) {
            assertThat(dir.resolve(name)).doesNotExist();
        }
        assertThat(dir.resolve("notes.txt")).hasContent("mine");
        assertThat(printed.toString()).contains("Starting clean");
    }
}

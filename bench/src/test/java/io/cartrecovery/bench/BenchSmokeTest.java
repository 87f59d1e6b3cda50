package io.cartrecovery.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The bench on a small input, once: it completes and reports every number. It never checks a speed,
 * which depends on the machine. The gap is shortened so that the few minutes of event time in
 * 10,000 events see carts abandoned, and the peer check has something to compare.
 */
class BenchSmokeTest {
    private static final List<String> FIELDS =
            List.of(
                    "events_per_second",
                    "cpu_seconds_per_million_events",
                    "checkpoints",
                    "checkpoint_bytes",
                    "checkpoint_millis",
                    "state_bytes_per_cart",
                    "peak_heap_bytes");

    @TempDir Path out;

    @Test
    void runsAndReportsEveryNumber() throws Exception {
        StringWriter stdout = new StringWriter();
        CommandLine command = new CommandLine(new BenchCommand());
        command.setOut(new PrintWriter(stdout));
        int exit =
                command.execute(
                        "--events=10000",
                        "--runs=1",
                        "--out=" + out,
                        "--only=ceiling,replay,peer",
                        "-D",
                        "detection.gap=60s");
        assertThat(exit).as(stdout.toString()).isZero();

        JsonNode report = BenchReport.JSON.readTree(out.resolve("bench.json").toFile());
        assertThat(report.path("input").path("events").asLong()).isEqualTo(10_000);
        JsonNode results = report.path("results");
        assertThat(results)
                .extracting(r -> r.path("name").asText())
                .containsExactly("ceiling", "replay", "peer");
        for (JsonNode result : results) {
            boolean flink = !result.path("name").asText().equals("peer");
            for (String field : FIELDS) {
                boolean checkpointField =
                        !field.equals("events_per_second")
                                && !field.equals("cpu_seconds_per_million_events")
                                && !field.equals("peak_heap_bytes");
                if (flink || !checkpointField) {
                    assertThat(result.path(field).asDouble())
                            .as(result.path("name").asText() + " " + field)
                            .isPositive();
                }
            }
        }
        JsonNode comparison = report.path("comparison");
        assertThat(comparison.path("ours").asLong()).isPositive();
        assertThat(comparison.path("peer").asLong()).isPositive();
        assertThat(comparison.path("both").asLong()).isPositive();
        assertThat(Files.readString(out.resolve("bench.md")))
                .contains("| replay |", "Peer check", "State of replay's largest checkpoint");
    }

    @Test
    void timesTasksAtALiveRate() throws Exception {
        StringWriter stdout = new StringWriter();
        CommandLine command = new CommandLine(new BenchCommand());
        command.setOut(new PrintWriter(stdout));
        int exit =
                command.execute(
                        "--events=10000",
                        "--runs=1",
                        "--out=" + out,
                        "--only=alo-latency",
                        "--live-rate=300",
                        "--live-seconds=15",
                        "--checkpoint-interval=1s",
                        "-D",
                        "detection.gap=4s");
        assertThat(exit).as(stdout.toString()).isZero();

        JsonNode result =
                BenchReport.JSON
                        .readTree(out.resolve("bench.json").toFile())
                        .path("results")
                        .get(0);
        assertThat(result.path("name").asText()).isEqualTo("alo-latency");
        JsonNode latency = result.path("samples").get(0).path("latency");
        assertThat(latency.path("tasks").asLong()).as(latency.toString()).isPositive();
        assertThat(latency.path("max").asLong())
                .isGreaterThanOrEqualTo(latency.path("p99").asLong())
                .isGreaterThanOrEqualTo(latency.path("p50").asLong());
        assertThat(Files.readString(out.resolve("bench.md"))).contains("| alo-latency |", "p99");
    }
}

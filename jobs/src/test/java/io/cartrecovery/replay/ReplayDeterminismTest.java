package io.cartrecovery.replay;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.Events.event;
import static io.cartrecovery.testing.Events.purchase;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrecovery.events.EventType;
import io.cartrecovery.testing.Events;
import io.cartrecovery.testing.ReplayRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same input, same output (issue 12, item 5 a-c): a seeded day of shopping (carts with and without
 * profiles, checkouts, purchases inside and after the gap, bursts of events seconds apart, broken
 * lines) with an agents roster, replayed twice, at parallelism 1, 2 and 4, and with the events
 * permuted within the out-of-orderness bound, gives the same tasks, task events, abandoned carts,
 * alerts and dead letters, wall-clock fields aside.
 */
class ReplayDeterminismTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    /** Fields that record the run's own wall clock, by the schemas' word. */
    private static final List<String> WALL_CLOCK =
            List.of("emitted_at", "detected_at", "failed_at", "rejected_at");

    private static final long BOUND_MILLIS = 5_000;

    private static final long MINUTE = 60_000;

    @TempDir Path dir;

    private final List<Timed> events = new ArrayList<>();
    private final List<String> profiles = new ArrayList<>();

    private record Timed(long time, String line) {}

    @BeforeEach
    void day() {
        Random random = new Random(20261207L);
        for (int i = 0; i < 80; i++) {
            String customer = "c" + i;
            boolean known = i % 3 != 0;
            if (known) {
                profiles.add(profile(customer, i % 2 == 0 ? "es-ES" : "en-GB"));
            }
            long start = random.nextInt(8 * 60) * MINUTE + random.nextInt(60_000);
            long at = start;
            int items = 1 + random.nextInt(3);
            for (int k = 0; k < items; k++) {
                Events.Builder addEvent =
                        add("p" + random.nextInt(20), 1 + random.nextInt(2), price(random));
                emit(known ? addEvent.customer(customer) : addEvent.visitor("v" + i), at);
                // Bursts: the next event a second or two later, within the bound.
                at += random.nextBoolean() ? 1_000 + random.nextInt(2_000) : 60_000;
            }
            if (known && random.nextInt(3) == 0) {
                emit(event(EventType.SHIPPING_INFO).customer(customer).shipping("7.90"), at);
                at += 2_000;
            }
            int fate = random.nextInt(4);
            if (fate == 0) {
                Events.Builder buy = purchase().orderId("o" + i);
                emit(known ? buy.customer(customer) : buy.visitor("v" + i), at + 120_000);
            } else if (fate == 1) {
                Events.Builder buy = purchase().orderId("o" + i);
                emit(known ? buy.customer(customer) : buy.visitor("v" + i), at + 45 * MINUTE);
            }
        }
        events.sort(Comparator.comparingLong(Timed::time));
    }

    @Test
    void theSameFilesGiveTheSameResultsWhateverTheRunTheParallelismOrTheOrderWithinTheBound()
            throws Exception {
        List<String> inOrder = lines(events);
        Map<String, List<String>> reference = results(inOrder, 2);
        assertThat(reference.get("tasks"))
                .as(
                        "the day makes tasks: %s",
                        reference.entrySet().stream()
                                .map(
                                        e ->
                                                e.getKey()
                                                        + "="
                                                        + e.getValue().size()
                                                        + " "
                                                        + e.getValue().stream().limit(2).toList())
                                .toList())
                .hasSizeGreaterThan(10);
        assertThat(reference.get("abandoned")).hasSizeGreaterThan(20);
        assertThat(reference.get("task events")).isNotEmpty();
        assertThat(reference.get("dead letters")).hasSize(2);

        assertSame(results(inOrder, 2), reference, "a second replay");
        assertSame(results(inOrder, 1), reference, "parallelism 1");
        assertSame(results(inOrder, 4), reference, "parallelism 4");
        List<String> permuted = lines(permutedWithinTheBound(events, new Random(7)));
        assertThat(permuted).isNotEqualTo(inOrder);
        assertSame(results(permuted, 2), reference, "permuted within the bound");
    }

    /** Equal results, or a failure that lists only what differs, file by file. */
    private static void assertSame(
            Map<String, List<String>> actual, Map<String, List<String>> expected, String run) {
        StringBuilder differences = new StringBuilder();
        expected.forEach(
                (file, lines) -> {
                    List<String> missing = new ArrayList<>(lines);
                    actual.get(file).forEach(missing::remove);
                    List<String> extra = new ArrayList<>(actual.get(file));
                    lines.forEach(extra::remove);
                    missing.forEach(
                            l ->
                                    differences
                                            .append(file)
                                            .append(" only before: ")
                                            .append(l)
                                            .append('\n'));
                    extra.forEach(
                            l ->
                                    differences
                                            .append(file)
                                            .append(" only in ")
                                            .append(run)
                                            .append(": ")
                                            .append(l)
                                            .append('\n'));
                });
        assertThat(differences.toString()).as(run).isEmpty();
    }

    private Map<String, List<String>> results(List<String> lines, int parallelism)
            throws Exception {
        // The same file name in every run: dead letters name their file.
        Path input = Files.createTempDirectory(dir, "run").resolve("events.jsonl");
        Files.write(input, lines);
        Path profileFile = Files.createTempFile(dir, "profiles", ".jsonl");
        Files.write(profileFile, profiles);
        Path agentFile = Files.createTempFile(dir, "agents", ".jsonl");
        Files.write(agentFile, agents());
        ReplayRun run =
                ReplayRun.ofFiles(dir, input, profileFile, agentFile, null, Map.of(), parallelism);
        Map<String, List<String>> results = new TreeMap<>();
        results.put("abandoned", normalized(run.abandoned));
        results.put("tasks", normalized(run.tasks));
        results.put("task events", normalized(run.taskEvents));
        results.put("alerts", normalized(run.alerts));
        results.put("dead letters", normalized(run.deadLetters));
        return results;
    }

    /** Each record without its wall-clock fields, sorted: files list records in any order. */
    private static List<String> normalized(List<JsonNode> records, String... alsoLeftOut) {
        return records.stream()
                .map(
                        record -> {
                            ObjectNode copy = record.deepCopy();
                            WALL_CLOCK.forEach(copy::remove);
                            List.of(alsoLeftOut).forEach(copy::remove);
                            if (copy.path("source").has("file")) {
                                ((ObjectNode) copy.get("source"))
                                        .put(
                                                "file",
                                                Path.of(copy.get("source").get("file").asText())
                                                        .getFileName()
                                                        .toString());
                            }
                            return copy.toString();
                        })
                .sorted()
                .toList();
    }

    private void emit(Events.Builder builder, long offsetMillis) {
        long time = Events.T0.toEpochMilli() + offsetMillis;
        events.add(new Timed(time, builder.at(time).json()));
    }

    /** The lines of the day, with two broken ones among them. */
    private static List<String> lines(List<Timed> timed) {
        List<String> lines = new ArrayList<>(timed.stream().map(Timed::line).toList());
        lines.add(lines.size() / 3, "{\"type\":\"add_to_cart\",");
        lines.add(2 * lines.size() / 3, "not json at all");
        return lines;
    }

    /**
     * Neighbours less than the bound apart swapped at random: an order the live pipeline could see
     * from a producer that retries.
     */
    private static List<Timed> permutedWithinTheBound(List<Timed> ordered, Random random) {
        List<Timed> permuted = new ArrayList<>(ordered);
        for (int i = 0; i + 1 < permuted.size(); i++) {
            Timed a = permuted.get(i);
            Timed b = permuted.get(i + 1);
            if (Math.abs(a.time() - b.time()) < BOUND_MILLIS && random.nextBoolean()) {
                permuted.set(i, b);
                permuted.set(i + 1, a);
                i++;
            }
        }
        return permuted;
    }

    private static String price(Random random) {
        return (5 + random.nextInt(200)) + "." + (10 + random.nextInt(90));
    }

    private static String profile(String customer, String language) {
        return "{\"store_id\":\"shop-1\",\"customer_id\":\""
                + customer
                + "\",\"order_count\":3,\"lifetime_value\":\"400.00\",\"name\":\"Test Person\","
                + "\"phone\":\"+34612345678\",\"language\":\""
                + language
                + "\",\"consent\":{\"call\":{\"granted\":true}}}";
    }

    private static List<String> agents() {
        return List.of(
                "{\"agent_id\":\"ana\",\"stores\":[\"shop-1\"],\"languages\":[\"es\",\"en\"],"
                        + "\"time_zone\":\"Europe/Madrid\",\"shift\":{\"thu\":\"09:00-18:00\"},"
                        + "\"max_open_tasks\":2,\"max_tasks_per_day\":20}",
                "{\"agent_id\":\"bob\",\"stores\":\"*\",\"languages\":[\"en\"],"
                        + "\"time_zone\":\"UTC\",\"shift\":{\"thu\":\"00:00-24:00\"},"
                        + "\"max_open_tasks\":3,\"max_tasks_per_day\":50}");
    }
}

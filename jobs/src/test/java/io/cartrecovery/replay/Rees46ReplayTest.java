package io.cartrecovery.replay;

import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.mapping;
import static java.util.stream.Collectors.toSet;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.config.DetectionOptions;
import io.cartrecovery.config.IngestOptions;
import io.cartrecovery.testing.CartSimulation;
import io.cartrecovery.testing.ReplayRun;
import io.cartrecovery.testing.Schemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay on real traffic nobody here wrote: the REES46 sample (CSV export layout,
 * auto-detected) from shared/data beside the repository, read in place, never copied into it. Its
 * results are checked against a count made here straight from the CSV text, without the pipeline's
 * classes. Every user of the sample is given a profile with a phone, an e-mail address and consent
 * to every channel (the sample has none), so their carts are contactable and each report makes a
 * contact task.
 */
class Rees46ReplayTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String SAMPLE = "shared/data/rees46-2019-Oct-first-3h.csv";

    /** The default {@code detection.gap}, which the replay runs with. */
    private static final Duration GAP = Duration.ofMinutes(10);

    @TempDir Path dir;

    @Test
    void reportsExactlyTheCartsAnIndependentCountFindsAbandoned() throws Exception {
        assertThat(DetectionOptions.GAP.defaultValue()).isEqualTo(GAP);
        Path sample = sample();
        Simulation expected = Simulation.of(Files.readAllLines(sample), GAP.toMillis());

        Path profiles = dir.resolve("profiles.jsonl");
        Files.write(
                profiles,
                expected.users.stream()
                        .map(
                                user ->
                                        "{\"store_id\":\"rees46\",\"customer_id\":\""
                                                + user
                                                + "\",\"phone\":\"+34612345678\","
                                                + "\"email\":\"shopper@example.com\","
                                                + "\"consent\":{\"call\":{\"granted\":true},"
                                                + "\"whatsapp\":{\"granted\":true},"
                                                + "\"sms\":{\"granted\":true},"
                                                + "\"email\":{\"granted\":true}}}")
                        .toList());

        long started = System.nanoTime();
        ReplayRun run =
                ReplayRun.ofFiles(
                        dir,
                        sample,
                        profiles,
                        null,
                        null,
                        Map.of(IngestOptions.STORE_ID.key(), "rees46"));
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        Set<String> abandoned =
                run.abandoned.stream().map(Rees46ReplayTest::cartId).collect(toSet());
        List<JsonNode> creates = run.tasksOfType("create");
        List<JsonNode> cancels = run.tasksOfType("cancel");
        System.out.printf(
                "REES46 replay of %s in %d ms: %d distinct carts abandoned (independent count"
                        + " %d), %d abandonment reports (%d), %d creates, %d cancels (%d),"
                        + " %d dead letters; independently: %d carts opened, %d closed by purchase"
                        + " or emptying, %d still inside their gap at the file's end%n",
                sample,
                elapsedMillis,
                abandoned.size(),
                expected.carts.abandonedCarts.size(),
                run.abandoned.size(),
                expected.carts.reports,
                creates.size(),
                cancels.size(),
                expected.carts.cancels,
                run.deadLetters.size(),
                expected.carts.opened,
                expected.carts.closed,
                expected.carts.openAtEnd);

        assertThat(abandoned).hasSize(expected.carts.abandonedCarts.size());
        // Cart ids are documented (customer/ID/OPENED_MS), so the very carts can be compared.
        assertThat(abandoned).containsExactlyInAnyOrderElementsOf(expected.carts.abandonedCarts);
        assertThat(run.abandoned)
                .as("reports, re-reports included")
                .hasSize(expected.carts.reports);
        assertThat(run.abandoned)
                .allSatisfy(a -> assertThat(a.get("contactable").booleanValue()).isTrue());

        // One create per report; a re-report of a cart repeats its task id.
        assertThat(creates).hasSize(run.abandoned.size());
        Map<String, Set<String>> taskIdsByCart =
                creates.stream()
                        .collect(
                                groupingBy(
                                        Rees46ReplayTest::cartId,
                                        mapping(t -> t.get("task_id").asText(), toSet())));
        assertThat(taskIdsByCart.keySet()).isEqualTo(abandoned);
        assertThat(taskIdsByCart.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
        Set<String> taskIds = creates.stream().map(t -> t.get("task_id").asText()).collect(toSet());
        assertThat(cancels).hasSize(expected.carts.cancels);
        assertThat(cancels)
                .allSatisfy(c -> assertThat(taskIds).contains(c.get("task_id").asText()));
        Schemas.assertValid("contact-task.schema.json", creates.get(0));
        Schemas.assertValid("abandoned-cart.schema.json", run.abandoned.get(0));
        assertThat(creates.get(0).get("currency").isNull())
                .as("the layout has no currency")
                .isTrue();

        // The sample's last line is cut off mid-row (8 columns, user_id truncated): it is the one
        // dead letter, and since it is no row of the layout, auto-detection does not recognise it.
        assertThat(expected.brokenLines).containsExactly(17436L);
        assertThat(run.deadLetters)
                .extracting(d -> d.get("source").get("line").asLong())
                .containsExactlyElementsOf(expected.brokenLines);
        assertThat(run.deadLetters)
                .allSatisfy(d -> assertThat(d.get("reason").asText()).startsWith("unrecognised"));
    }

    private static String cartId(JsonNode node) {
        return node.get("cart_id").asText();
    }

    /** The sample in shared/data of this folder or one above (the repository sits beside it). */
    private static Path sample() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(SAMPLE))) {
                return p.resolve(SAMPLE);
            }
        }
        // The sample has no stated licence, so the repository cannot carry it: without it the
        // test is skipped with one line saying what is missing and where to get it.
        return Assumptions.abort(
                "REES46 sample not found ("
                        + SAMPLE
                        + " in no folder from "
                        + here
                        + " upwards): download the first 3 h of 2019-Oct.csv of the REES46"
                        + " 'eCommerce behavior data from multi category store' dataset there to run"
                        + " this test");
    }

    /**
     * The sample's rows for {@link CartSimulation}: per user, as the CSV layout documents
     * (docs/formats/csv.md); a row repeated exactly is one event; lines that are no row of the
     * layout are counted as broken.
     */
    private static final class Simulation {
        private static final DateTimeFormatter TIME =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

        final List<Long> brokenLines = new ArrayList<>();
        final Set<String> users = new TreeSet<>();
        CartSimulation carts;

        static Simulation of(List<String> lines, long gap) {
            Simulation simulation = new Simulation();
            List<CartSimulation.Row> rows = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            // Line 1 is the header.
            for (int i = 1; i < lines.size(); i++) {
                String line = lines.get(i);
                assertThat(line).as("plain split below cannot read quotes").doesNotContain("\"");
                String[] fields = line.split(",", -1);
                if (fields.length != 9) {
                    simulation.brokenLines.add(i + 1L);
                    continue;
                }
                long time =
                        LocalDateTime.parse(fields[0], TIME)
                                .toInstant(ZoneOffset.UTC)
                                .toEpochMilli();
                simulation.users.add(fields[7]);
                if (seen.add(line)) {
                    rows.add(new CartSimulation.Row(fields[7], time, fields[1], fields[2]));
                }
            }
            simulation.carts = CartSimulation.of(rows, gap);
            return simulation;
        }
    }
}

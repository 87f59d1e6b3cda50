package io.cartrecovery.replay;

import static java.util.stream.Collectors.toSet;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrecovery.config.DetectionOptions;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.testing.CartSimulation;
import io.cartrecovery.testing.ReplayRun;
import io.cartrecovery.testing.Schemas;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay on real shopping sessions the repository carries (the OTTO sample, CC BY 4.0, see
 * src/test/resources/data/otto/README.md), so it runs on any clone. The sessions are mapped to the
 * canonical clickstream here (clicks: product views; carts: add-to-carts; orders: purchases) and
 * the pipeline's abandoned carts are checked against {@link CartSimulation}, which knows nothing of
 * the pipeline's classes. The sessions have no customer profiles (no contact details, no consent):
 * their carts are abandoned-cart facts that are not contactable, and nobody gets a contact task.
 */
class OttoReplayTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String SAMPLE = "/data/otto/otto-sessions-sample.jsonl";

    /** The default {@code detection.gap}, which the replay runs with. */
    private static final Duration GAP = Duration.ofMinutes(10);

    @TempDir java.nio.file.Path dir;

    @Test
    void reportsExactlyTheCartsAnIndependentCountFindsAbandoned() throws Exception {
        assertThat(DetectionOptions.GAP.defaultValue()).isEqualTo(GAP);
        List<Click> clicks = sample();
        assertThat(clicks).as("the sample's events").hasSize(862);
        // An event repeated exactly (same session, time, type and article) is one event.
        Set<Click> unique = new LinkedHashSet<>(clicks);
        CartSimulation expected =
                CartSimulation.of(
                        unique.stream()
                                .map(
                                        c ->
                                                new CartSimulation.Row(
                                                        c.session(),
                                                        c.ts(),
                                                        switch (c.type()) {
                                                            case "carts" -> "cart";
                                                            case "orders" -> "purchase";
                                                            default -> "view";
                                                        },
                                                        c.aid()))
                                .toList(),
                        GAP.toMillis());

        ReplayRun run = ReplayRun.of(dir, canonical(clicks), Map.of());

        Set<String> abandoned =
                run.abandoned.stream().map(a -> a.get("cart_id").asText()).collect(toSet());
        System.out.printf(
                "OTTO replay: %d distinct carts abandoned (independent count %d), %d reports (%d),"
                        + " %d tasks, %d dead letters%n",
                abandoned.size(),
                expected.abandonedCarts.size(),
                run.abandoned.size(),
                expected.reports,
                run.tasks.size(),
                run.deadLetters.size());
        assertThat(expected.abandonedCarts).as("the sample has abandoned carts").isNotEmpty();
        assertThat(abandoned).containsExactlyInAnyOrderElementsOf(expected.abandonedCarts);
        assertThat(run.abandoned).as("reports, re-reports included").hasSize(expected.reports);
        assertThat(run.deadLetters).isEmpty();
        run.abandoned.forEach(a -> Schemas.assertValid("abandoned-cart.schema.json", a));
        // Anonymous sessions: every report is a fact that is not contactable, and no task (so
        // no create, and no cancel when a purchase closes a reported cart) is made.
        assertThat(run.abandoned)
                .allSatisfy(
                        a -> {
                            assertThat(a.get("contact_decision").asText())
                                    .isEqualTo("unknown_customer");
                            assertThat(a.get("contactable").booleanValue()).isFalse();
                        });
        assertThat(run.tasks).isEmpty();
        assertThat(run.taskEvents).isEmpty();
    }

    private record Click(String session, long ts, String type, String aid) {}

    private static List<Click> sample() throws IOException {
        List<Click> clicks = new ArrayList<>();
        try (InputStream in = OttoReplayTest.class.getResourceAsStream(SAMPLE)) {
            assertThat(in).as(SAMPLE).isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode session = ClickEventJson.MAPPER.readTree(line);
                for (JsonNode event : session.get("events")) {
                    clicks.add(
                            new Click(
                                    "otto-" + session.get("session").asText(),
                                    event.get("ts").asLong(),
                                    event.get("type").asText(),
                                    event.get("aid").asText()));
                }
            }
        }
        return clicks;
    }

    /**
     * The sample as canonical events in time order (stable: file order for ties). The event id is
     * made of the event's content, so an exact repeat is a duplicate for the pipeline too.
     */
    private static List<String> canonical(List<Click> clicks) {
        List<Click> ordered = new ArrayList<>(clicks);
        ordered.sort(Comparator.comparingLong(Click::ts));
        List<String> lines = new ArrayList<>();
        for (Click click : ordered) {
            ObjectNode event = ClickEventJson.MAPPER.createObjectNode();
            event.put(
                    "event_id",
                    click.session() + "-" + click.ts() + "-" + click.type() + "-" + click.aid());
            event.put(
                    "type",
                    switch (click.type()) {
                        case "carts" -> "add_to_cart";
                        case "orders" -> "purchase";
                        default -> "product_view";
                    });
            event.put("store_id", "otto");
            event.put("event_time", Instant.ofEpochMilli(click.ts()).toString());
            event.put("customer_id", click.session());
            if (!click.type().equals("orders")) {
                event.putArray("items").addObject().put("product_id", click.aid());
            }
            lines.add(event.toString());
        }
        return lines;
    }
}

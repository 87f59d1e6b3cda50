package io.cartrecovery.job;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.ReplayRun.clockAt;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.testing.ReplayRun;
import io.cartrecovery.testing.Schemas;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Calls meet agents through the replay path ({@code --profiles FILE --agents FILE}). */
class AssignmentScenariosTest {
    private static String profile(String customer) {
        return "{\"store_id\":\"shop-1\",\"customer_id\":\""
                + customer
                + "\",\"order_count\":6,\"lifetime_value\":\"1500.00\",\"name\":\"Ana Pérez\","
                + "\"phone\":\"+34612345678\",\"language\":\"es-ES\","
                + "\"consent\":{\"call\":{\"granted\":true}}}";
    }

    @TempDir Path dir;

    /**
     * Two calls found abandoned at 10:10 UTC, before the one Spanish-speaking agent's shift starts
     * at 11:15 in Madrid (an English-speaking agent is no use): both queue, the queue alerts, the
     * bigger cart gets the agent when her shift starts, and neither call is made in time.
     */
    @Test
    void callsQueueUntilTheShiftStartsAndAlertWhenNotContactedInTime() throws Exception {
        // Events.T0 is Thursday 10:00 UTC, 11:00 in Madrid.
        ReplayRun run =
                ReplayRun.withAgents(
                        dir,
                        List.of(
                                add("p1", 1, "500.00").customer("big").atMinute(0).json(),
                                add("p1", 1, "250.00").customer("small").atMinute(0).json(),
                                clockAt(12),
                                clockAt(31)),
                        List.of(profile("big"), profile("small")),
                        List.of(
                                "{\"agent_id\":\"ana\",\"stores\":[\"shop-1\"],"
                                        + "\"languages\":[\"es\"],\"time_zone\":\"Europe/Madrid\","
                                        + "\"shift\":{\"thu\":\"11:15-17:00\"},"
                                        + "\"max_open_tasks\":1,\"max_tasks_per_day\":10}",
                                "{\"agent_id\":\"bob\",\"stores\":\"*\",\"languages\":[\"en\"],"
                                        + "\"time_zone\":\"UTC\",\"shift\":{\"thu\":\"00:00-24:00\"},"
                                        + "\"max_open_tasks\":5,\"max_tasks_per_day\":50}",
                                "{\"agent_id\":\"broken\",\"stores\":[\"shop-1\"],"
                                        + "\"time_zone\":\"UTC\",\"max_open_tasks\":1,"
                                        + "\"max_tasks_per_day\":1}"),
                        Map.of("assignment.queue-alert-size", "1"));

        run.tasks.forEach(t -> Schemas.assertValid("contact-task.schema.json", t));
        List<String> tasks =
                run.tasks.stream()
                        .map(
                                t ->
                                        t.get("customer_id").asText()
                                                + ":"
                                                + t.get("type").asText()
                                                + ":"
                                                + (t.hasNonNull("assigned_agent")
                                                        ? t.get("assigned_agent").asText()
                                                        : "-"))
                        .toList();
        assertThat(tasks)
                .containsExactlyInAnyOrder("big:create:-", "small:create:-", "big:create:ana");
        JsonNode big = create(run, "big");
        JsonNode small = create(run, "small");
        assertThat(big.get("priority").asInt()).isGreaterThan(small.get("priority").asInt());
        assertThat(big.get("channel").asText()).isEqualTo("call");

        String bigTask = big.get("task_id").asText();
        String smallTask = small.get("task_id").asText();
        run.alerts.forEach(
                a -> {
                    Schemas.assertValid("alert.schema.json", a);
                    assertThat(a.toString()).doesNotContain("+34612345678", "Ana Pérez");
                });
        assertThat(run.alerts)
                .extracting(
                        a ->
                                a.get("type").asText()
                                        + ":"
                                        + a.path("task_id").asText("-")
                                        + ":"
                                        + a.path("cause").asText("-")
                                        + ":"
                                        + a.path("agent_id").asText("-")
                                        + ":"
                                        + a.get("at").asText())
                .containsExactlyInAnyOrder(
                        "queue_growing:-:-:-:2026-11-26T10:10:00Z",
                        "sla_at_risk:" + bigTask + ":not_contacted:ana:2026-11-26T10:20:00Z",
                        "sla_at_risk:" + smallTask + ":unassigned:-:2026-11-26T10:20:00Z",
                        "sla_breached:" + bigTask + ":not_contacted:ana:2026-11-26T10:30:00Z",
                        "sla_breached:" + smallTask + ":unassigned:-:2026-11-26T10:30:00Z");
        assertThat(run.alerts)
                .filteredOn(a -> a.get("type").asText().equals("queue_growing"))
                .singleElement()
                .satisfies(a -> assertThat(a.get("count").asInt()).isEqualTo(2));

        assertThat(run.deadLetters)
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.get("reason").asText()).isEqualTo("missing shift");
                            Schemas.assertValid("dead-letter.schema.json", d);
                        });
    }

    private static JsonNode create(ReplayRun run, String customer) {
        return run.tasks.stream()
                .filter(
                        t ->
                                t.get("type").asText().equals("create")
                                        && t.get("customer_id").asText().equals(customer))
                .findFirst()
                .orElseThrow();
    }
}

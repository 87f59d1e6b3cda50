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
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Abandoned carts meet customer profiles through the replay path ({@code --profiles FILE}). */
class EnrichmentScenariosTest {
    private static final String HISTORY =
            "\"order_count\":6,\"lifetime_value\":\"1500.00\",\"name\":\"Ana Pérez\","
                    + "\"phone\":\"+34612345678\",\"email\":\"ana@example.com\",\"language\":\"es\"";

    private static String profile(String customer, String rest) {
        return "{\"store_id\":\"shop-1\",\"customer_id\":\""
                + customer
                + "\","
                + HISTORY
                + ","
                + rest
                + "}";
    }

    @TempDir Path dir;

    @Test
    void consentDecidesTheChannelAndDoNotContactGetsNoTask() throws Exception {
        ReplayRun run =
                ReplayRun.withProfiles(
                        dir,
                        List.of(
                                add("p1", 1, "250.00").customer("vip").atMinute(0).json(),
                                add("p1", 1, "250.00").customer("dnc").atMinute(0).json(),
                                add("p1", 1, "250.00").customer("nocall").atMinute(0).json(),
                                add("p1", 1, "250.00").customer("stranger").atMinute(0).json(),
                                clockAt(12)),
                        List.of(
                                profile(
                                        "vip",
                                        "\"time_zone\":\"Europe/Madrid\",\"consent\":{\"call\":"
                                                + "{\"granted\":true,\"at\":\"2026-01-10T09:00:00Z\"}}"),
                                profile(
                                        "dnc",
                                        "\"do_not_contact\":true,\"consent\":{\"call\":"
                                                + "{\"granted\":true}}"),
                                profile(
                                        "nocall",
                                        "\"consent\":{\"call\":{\"granted\":false},"
                                                + "\"sms\":{\"granted\":true}}"),
                                "{\"store_id\":\"shop-1\",\"customer_id\":\"bad\","
                                        + "\"phone\":\"612\"}"),
                        Map.of("enrichment.store-time-zone", "Europe/Lisbon"));

        Map<String, JsonNode> tasks =
                run.tasks.stream()
                        .collect(
                                Collectors.toMap(
                                        t -> t.get("customer_id").asText(), Function.identity()));
        // A stranger (no profile: no contact details, no consent) gets no task, as dnc does.
        assertThat(tasks).containsOnlyKeys("vip", "nocall");
        tasks.values().forEach(t -> Schemas.assertValid("contact-task.schema.json", t));

        JsonNode vip = tasks.get("vip");
        assertThat(vip.get("channel").asText()).isEqualTo("call");
        assertThat(vip.get("mode").asText()).isEqualTo("agent");
        assertThat(vip.get("tier").asText()).isEqualTo("high");
        assertThat(vip.get("priority").asInt()).isBetween(70, 100);
        assertThat(vip.get("expected_value").decimalValue())
                .isEqualByComparingTo(
                        vip.get("probability")
                                .decimalValue()
                                .multiply(vip.get("cart_value").decimalValue())
                                .setScale(2, java.math.RoundingMode.HALF_EVEN));
        assertThat(vip.get("reasons").findValuesAsText("code"))
                .contains("cart_value", "order_count");
        assertThat(vip.get("customer").get("phone").asText()).isEqualTo("+34612345678");
        assertThat(vip.get("customer").get("timezone").asText()).isEqualTo("Europe/Madrid");

        JsonNode nocall = tasks.get("nocall");
        assertThat(nocall.get("channel").asText()).isEqualTo("sms");
        assertThat(nocall.get("mode").asText()).isEqualTo("automated");
        assertThat(nocall.get("customer").get("timezone").asText()).isEqualTo("Europe/Lisbon");

        Map<String, String> decisions =
                run.abandoned.stream()
                        .collect(
                                Collectors.toMap(
                                        a -> a.get("customer_id").asText(),
                                        a -> a.get("contact_decision").asText()));
        assertThat(decisions)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "vip", "contact",
                                "dnc", "do_not_contact",
                                "nocall", "contact",
                                "stranger", "unknown_customer"));
        Map<String, Boolean> contactable =
                run.abandoned.stream()
                        .collect(
                                Collectors.toMap(
                                        a -> a.get("customer_id").asText(),
                                        a -> a.get("contactable").booleanValue()));
        assertThat(contactable)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("vip", true, "dnc", false, "nocall", true, "stranger", false));
        run.abandoned.forEach(
                a -> {
                    Schemas.assertValid("abandoned-cart.schema.json", a);
                    assertThat(a.toString()).doesNotContain("+34612345678", "ana@example.com");
                });

        assertThat(run.deadLetters)
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.toString()).contains("phone is not E.164");
                            Schemas.assertValid("dead-letter.schema.json", d);
                        });
    }

    @Test
    void tasksOutsideTheContactWindowOrOverACapCarryNotBefore() throws Exception {
        ReplayRun run =
                ReplayRun.withProfiles(
                        dir,
                        List.of(
                                add("p1", 1, "250.00")
                                        .customer("kiri")
                                        .cart("k1")
                                        .atMinute(0)
                                        .json(),
                                add("p1", 1, "250.00")
                                        .customer("twice")
                                        .cart("a")
                                        .atMinute(0)
                                        .json(),
                                add("p2", 1, "250.00")
                                        .customer("twice")
                                        .cart("b")
                                        .atMinute(60)
                                        .json(),
                                clockAt(75)),
                        List.of(
                                profile(
                                        "kiri",
                                        "\"time_zone\":\"Pacific/Kiritimati\",\"consent\":{\"email\":"
                                                + "{\"granted\":true}}"),
                                profile(
                                        "twice",
                                        "\"time_zone\":\"Europe/Madrid\",\"consent\":{\"whatsapp\":"
                                                + "{\"granted\":true}}")),
                        Map.of());

        Map<String, JsonNode> tasks =
                run.tasks.stream()
                        .collect(
                                Collectors.toMap(
                                        t -> t.get("cart_id").asText(), Function.identity()));
        assertThat(tasks).containsOnlyKeys("k1", "a", "b");
        tasks.values().forEach(t -> Schemas.assertValid("contact-task.schema.json", t));

        // Abandoned 10:00Z, issued 10:10Z: ten past midnight in Kiritimati (UTC+14). The window
        // opens at 08:00 there (18:00Z); the task keeps the 20 minutes it had left.
        JsonNode kiri = tasks.get("k1");
        assertThat(kiri.get("channel").asText()).isEqualTo("email");
        assertThat(kiri.get("not_before").asText()).isEqualTo("2026-11-26T18:00:00Z");
        assertThat(kiri.get("due_by").asText()).isEqualTo("2026-11-26T18:20:00Z");

        // 11:10 in Madrid: inside the window, no not_before.
        JsonNode first = tasks.get("a");
        assertThat(first.get("channel").asText()).isEqualTo("whatsapp");
        assertThat(first.get("not_before").isNull()).isTrue();
        assertThat(first.get("due_by").asText()).isEqualTo("2026-11-26T10:30:00Z");

        // One WhatsApp message per 24 h: the second cart waits until a day after the first.
        JsonNode second = tasks.get("b");
        assertThat(second.get("channel").asText()).isEqualTo("whatsapp");
        assertThat(second.get("not_before").asText()).isEqualTo("2026-11-27T10:10:00Z");
        assertThat(second.get("due_by").asText()).isEqualTo("2026-11-27T10:30:00Z");
    }
}

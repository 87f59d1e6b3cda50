package io.cartrecovery.job;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.Events.event;
import static io.cartrecovery.testing.ReplayRun.clockAt;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.events.EventType;
import io.cartrecovery.testing.ReplayRun;
import io.cartrecovery.testing.Schemas;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scripts, messages and identify details through the replay path: what a dialer gets for a Spanish
 * caller with a shipping objection, an English WhatsApp customer, and customers reachable only
 * through the phone they typed into checkout.
 */
class ScriptScenariosTest {
    private static final String HISTORY =
            "\"order_count\":6,\"lifetime_value\":\"1500.00\","
                    + "\"last_order_at\":\"2026-01-10T09:00:00Z\"";

    private static String profile(String customer, String rest) {
        return "{\"store_id\":\"shop-1\",\"customer_id\":\"" + customer + "\"," + rest + "}";
    }

    @TempDir Path dir;

    @Test
    void tasksSayWhatToSayInTheCustomersLanguage() throws Exception {
        ReplayRun run =
                ReplayRun.withProfiles(
                        dir,
                        List.of(
                                add("p1", 1, "250.00").customer("ana").atMinute(0).json(),
                                event(EventType.CHECKOUT_START).customer("ana").atMinute(1).json(),
                                event(EventType.SHIPPING_INFO)
                                        .customer("ana")
                                        .shipping("12.50")
                                        .atMinute(2)
                                        .json(),
                                add("p2", 1, "100.00").customer("bob").atMinute(0).json(),
                                add("p3", 1, "250.00").customer("carla").atMinute(0).json(),
                                event(EventType.IDENTIFY)
                                        .customer("carla")
                                        .contact("Carla", null, "+34600111222")
                                        .atMinute(1)
                                        .json(),
                                add("p4", 1, "250.00").customer("dario").atMinute(0).json(),
                                event(EventType.IDENTIFY)
                                        .customer("dario")
                                        .contact("Dario", null, "+34600333444")
                                        .atMinute(1)
                                        .json(),
                                clockAt(30)),
                        List.of(
                                profile(
                                        "ana",
                                        HISTORY
                                                + ",\"name\":\"Ana Pérez\",\"phone\":\"+34612345678\","
                                                + "\"language\":\"es\",\"consent\":{\"call\":"
                                                + "{\"granted\":true}}"),
                                profile(
                                        "bob",
                                        "\"name\":\"Bob Smith\",\"phone\":\"+447700900123\","
                                                + "\"language\":\"en\",\"consent\":{\"whatsapp\":"
                                                + "{\"granted\":true}}"),
                                // No name, no phone in the CRM, but call consent.
                                profile(
                                        "carla",
                                        HISTORY
                                                + ",\"language\":\"en\",\"consent\":{\"call\":"
                                                + "{\"granted\":true}}"),
                                // A phone typed into checkout, no consent for anything.
                                profile("dario", HISTORY + ",\"language\":\"en\"")),
                        Map.of(
                                "scripts.cart-url", "*:'https://shop.example/cart/{{cart_id}}'",
                                "scripts.store-name", "shop-1:Trail Shop",
                                "scripts.incentive.max-percent", "shop-1:10"));

        Map<String, JsonNode> tasks =
                run.tasks.stream()
                        .collect(
                                Collectors.toMap(
                                        t -> t.get("customer_id").asText(), Function.identity()));
        assertThat(tasks).containsOnlyKeys("ana", "bob", "carla");
        tasks.values()
                .forEach(
                        t -> {
                            Schemas.assertValid("contact-task.schema.json", t);
                            assertThat(t.toString()).doesNotContain("{{", "}}");
                        });

        JsonNode ana = tasks.get("ana");
        assertThat(ana.get("channel").asText()).isEqualTo("call");
        assertThat(ana.get("reason").asText()).isEqualTo("unexpected_costs");
        assertThat(ana.get("content_language").asText()).isEqualTo("es");
        assertThat(ana.has("message")).isFalse();
        Map<String, String> script = steps(ana);
        assertThat(script.keySet())
                .containsExactly(
                        "greeting",
                        "products",
                        "open_question",
                        "objection",
                        "incentive",
                        "next_steps",
                        "close");
        assertThat(script.get("greeting"))
                .isEqualTo(
                        "Hola Ana, le llamo de Trail Shop por el producto Product p1 que dejó en"
                                + " su carrito.");
        assertThat(script.get("products"))
                .isEqualTo(
                        "Para confirmar, en su carrito tenía Product p1, 250,00\u00a0€ en total."
                                + " ¿Es correcto?");
        assertThat(script.get("objection"))
                .startsWith("Veo que el envío le salía por 12,50\u00a0€.")
                .contains("coste de envío");
        assertThat(script.get("incentive")).contains("10 % de descuento");

        JsonNode bob = tasks.get("bob");
        String cartUrl =
                "https://shop.example/cart/"
                        + URLEncoder.encode(bob.get("cart_id").asText(), StandardCharsets.UTF_8);
        assertThat(bob.get("channel").asText()).isEqualTo("whatsapp");
        assertThat(bob.has("script")).isFalse();
        assertThat(bob.get("content_language").asText()).isEqualTo("en");
        assertThat(bob.get("message").get("cart_url").asText()).isEqualTo(cartUrl);
        assertThat(bob.get("message").get("text").asText())
                .isEqualTo(
                        "Hi Bob! You left the Product p2 in your cart at Trail Shop. Pick up where"
                                + " you left off: "
                                + cartUrl
                                + " Questions? Just reply to this message.");

        JsonNode carla = tasks.get("carla");
        assertThat(carla.get("channel").asText()).isEqualTo("call");
        assertThat(carla.get("customer").get("phone").asText()).isEqualTo("+34600111222");
        assertThat(carla.get("customer").get("name").asText()).isEqualTo("Carla");
        assertThat(steps(carla).get("greeting")).startsWith("Hello Carla, this is Trail Shop");

        Map<String, JsonNode> abandoned =
                run.abandoned.stream()
                        .collect(
                                Collectors.toMap(
                                        a -> a.get("customer_id").asText(), Function.identity()));
        assertThat(abandoned.get("dario").get("contact_decision").asText())
                .isEqualTo("no_consented_channel");
        assertThat(abandoned.get("ana").get("session").get("checkout_steps").asInt()).isEqualTo(2);
        assertThat(abandoned.get("ana").get("session").get("time_on_site_seconds").asLong())
                .isEqualTo(120);
        run.abandoned.forEach(
                a -> {
                    Schemas.assertValid("abandoned-cart.schema.json", a);
                    assertThat(a.toString())
                            .doesNotContain("+34600111222", "+34600333444", "Carla", "Dario");
                });
    }

    private static Map<String, String> steps(JsonNode task) {
        Map<String, String> steps = new java.util.LinkedHashMap<>();
        for (JsonNode step : task.get("script")) {
            steps.put(step.get("step").asText(), step.get("text").asText());
        }
        return steps;
    }
}

package io.cartrecovery.formats;

import static io.cartrecovery.testing.ReplayRun.clockAt;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.testing.ReplayRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample Segment journey through the whole replay job: format detection to contact task. */
class SegmentJourneyTest {
    @TempDir Path dir;

    private static List<String> calls() throws IOException {
        try (InputStream in =
                SegmentJourneyTest.class.getResourceAsStream("/formats/segment/calls.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** The journey's customer, with consent to every channel, so a contact task can follow. */
    private static final String PROFILE =
            "{\"store_id\":\"shop-1\",\"customer_id\":\"42\",\"phone\":\"+34612345678\","
                    + "\"email\":\"c42@example.com\",\"consent\":{\"call\":{\"granted\":true},"
                    + "\"whatsapp\":{\"granted\":true},\"sms\":{\"granted\":true},"
                    + "\"email\":{\"granted\":true}}}";

    private ReplayRun replay(List<String> calls) throws Exception {
        List<String> lines = new ArrayList<>(calls);
        // A canonical event of another visitor moves event time past every gap.
        lines.add(clockAt(60));
        return ReplayRun.withProfiles(
                dir, lines, List.of(PROFILE), Map.of("ingest.store-id", "shop-1"));
    }

    @Test
    void aJourneyWithoutOrderCompletedIsReportedAtThePaymentStage() throws Exception {
        List<String> calls = calls();
        ReplayRun run = replay(calls.subList(0, calls.size() - 1));

        assertThat(run.deadLetters).isEmpty();
        assertThat(run.abandoned).hasSize(1);
        assertThat(run.tasks).hasSize(1);
        // The abandoned-cart fact and the contact task carry the cart under the same names.
        for (JsonNode cart : List.of(run.abandoned.get(0), run.tasks.get(0))) {
            assertThat(cart.get("store_id").asText()).isEqualTo("shop-1");
            assertThat(cart.get("cart_id").asText()).isEqualTo("c-77");
            assertThat(cart.get("customer_id").asText()).isEqualTo("42");
            assertThat(cart.get("stage").asText()).isEqualTo("payment");
            assertThat(cart.get("currency").asText()).isEqualTo("EUR");
            assertThat(cart.get("cart_value").decimalValue()).isEqualByComparingTo("64.85");
            assertThat(cart.get("shipping_cost").decimalValue()).isEqualByComparingTo("4.90");
            assertThat(cart.get("items")).hasSize(2);
            assertThat(cart.get("items").get(0).get("product_id").asText()).isEqualTo("9714107479");
            assertThat(cart.get("items").get(1).get("product_id").asText()).isEqualTo("SOCK-555");
        }
        assertThat(run.tasks.get(0).get("type").asText()).isEqualTo("create");
        assertThat(run.tasks.get(0).get("channel").isTextual()).isTrue();
    }

    @Test
    void orderCompletedClosesTheCart() throws Exception {
        ReplayRun run = replay(calls());

        assertThat(run.deadLetters).isEmpty();
        assertThat(run.tasks).isEmpty();
        assertThat(run.abandoned).isEmpty();
    }
}

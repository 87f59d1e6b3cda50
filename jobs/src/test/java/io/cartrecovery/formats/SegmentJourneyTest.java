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

    private ReplayRun replay(List<String> calls) throws Exception {
        List<String> lines = new ArrayList<>(calls);
        // A canonical event of another visitor moves event time past every gap.
        lines.add(clockAt(60));
        return ReplayRun.of(dir, lines, Map.of("ingest.store-id", "shop-1"));
    }

    @Test
    void aJourneyWithoutOrderCompletedIsReportedAtThePaymentStage() throws Exception {
        List<String> calls = calls();
        ReplayRun run = replay(calls.subList(0, calls.size() - 1));

        assertThat(run.deadLetters).isEmpty();
        assertThat(run.tasks).hasSize(1);
        JsonNode task = run.tasks.get(0);
        assertThat(task.get("store_id").asText()).isEqualTo("shop-1");
        assertThat(task.get("cart_id").asText()).isEqualTo("c-77");
        assertThat(task.get("customer_id").asText()).isEqualTo("42");
        assertThat(task.get("stage").asText()).isEqualTo("payment");
        assertThat(task.get("currency").asText()).isEqualTo("EUR");
        assertThat(task.get("cart_value").decimalValue()).isEqualByComparingTo("64.85");
        assertThat(task.get("shipping_cost").decimalValue()).isEqualByComparingTo("4.90");
        assertThat(task.get("items")).hasSize(2);
        assertThat(task.get("items").get(0).get("product_id").asText()).isEqualTo("9714107479");
        assertThat(task.get("items").get(1).get("product_id").asText()).isEqualTo("SOCK-555");
    }

    @Test
    void orderCompletedClosesTheCart() throws Exception {
        ReplayRun run = replay(calls());

        assertThat(run.deadLetters).isEmpty();
        assertThat(run.tasks).isEmpty();
        assertThat(run.abandoned).isEmpty();
    }
}

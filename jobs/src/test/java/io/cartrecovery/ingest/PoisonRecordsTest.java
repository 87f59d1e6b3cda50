package io.cartrecovery.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.events.EventValidator;
import io.cartrecovery.formats.Decoders;
import io.cartrecovery.formats.Format;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Records that once stopped the job, changed bytes or forged log lines: each is a dead letter with
 * a reason, its exact bytes kept (docs/limits.md).
 */
class PoisonRecordsTest {
    private static final SourcePosition AT = SourcePosition.kafka("clickstream", 0, 7);

    private final Ingestion ingestion =
            new Ingestion(
                    Decoders.forFormat(Format.AUTO, null),
                    new EventValidator(
                            Duration.ofHours(1),
                            InstantSource.fixed(Instant.parse("2026-11-27T00:00:00Z"))),
                    64 * 1024);

    private static String event(String price, String quantity) {
        return event(price, quantity, "EUR", "\"shop-1\"");
    }

    private static String event(String price, String quantity, String currency, String store) {
        return "{\"event_id\":\"e-1\",\"type\":\"add_to_cart\",\"store_id\":"
                + store
                + ",\"event_time\":\"2026-11-26T10:00:00Z\",\"cart_id\":\"c-1\",\"currency\":\""
                + currency
                + "\",\"items\":[{\"product_id\":\"p-1\",\"quantity\":"
                + quantity
                + ",\"price\":"
                + price
                + "}]}";
    }

    private List<Ingested> ingest(byte[] payload) {
        List<Ingested> out = new ArrayList<>();
        ingestion.ingest(payload, AT, 1L, out::add, skipped -> {});
        return out;
    }

    private List<Ingested> ingest(String payload) {
        return ingest(payload.getBytes(StandardCharsets.UTF_8));
    }

    private DeadLetter deadLetter(String payload) {
        return deadLetter(payload.getBytes(StandardCharsets.UTF_8));
    }

    private DeadLetter deadLetter(byte[] payload) {
        List<Ingested> out = ingest(payload);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).event()).as("no event from a poison record").isNull();
        return out.get(0).deadLetter();
    }

    @Test
    void aPriceInRangeIsAccepted() {
        assertThat(ingest(event("\"99999999999999.9999\"", "1")).get(0).event()).isNotNull();
        assertThat(ingest(event("0", "1")).get(0).event()).isNotNull();
        assertThat(ingest(event("\"59.90\"", "1000000")).get(0).event()).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1e999999999",
                "1e308",
                "\"99999999999999999999.9999\"",
                "100000000000000",
                "\"1e15\""
            })
    void aPriceBeyondTheMoneyRangeIsADeadLetter(String price) {
        assertThat(deadLetter(event(price, "1")).reason())
                .startsWith("items[0].price out of range")
                .contains("below 100000000000000");
    }

    @Test
    void floatNoiseOfAJsonNumberIsTheMoneyItStandsFor() {
        assertThat(
                        ingest(event("19.990000000000002", "1"))
                                .get(0)
                                .event()
                                .items()
                                .get(0)
                                .unitPrice())
                .isEqualByComparingTo("19.99");
        assertThat(
                        ingest(event("0.30000000000000004", "1"))
                                .get(0)
                                .event()
                                .items()
                                .get(0)
                                .unitPrice())
                .isEqualByComparingTo("0.3");
        // A decimal string says exactly what it means: more than 4 decimals stay a dead letter.
        assertThat(deadLetter(event("\"19.990000000000002\"", "1")).reason())
                .startsWith("items[0].price has more than 4 decimals");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e-30", "\"0.00001\"", "0.12345", "19.99001"})
    void aPriceWithMoreThanFourDecimalsIsADeadLetter(String price) {
        assertThat(deadLetter(event(price, "1")).reason())
                .startsWith("items[0].price has more than 4 decimals");
    }

    @Test
    void aShippingCostBeyondTheRangeIsADeadLetter() {
        String shipping =
                "{\"event_id\":\"e-2\",\"type\":\"shipping_info\",\"store_id\":\"shop-1\","
                        + "\"event_time\":\"2026-11-26T10:00:00Z\",\"cart_id\":\"c-1\","
                        + "\"currency\":\"EUR\",\"shipping_cost\":1e20}";
        assertThat(deadLetter(shipping).reason()).startsWith("shipping_cost out of range");
    }

    @Test
    void anEventWhoseTotalLeavesTheRangeIsADeadLetter() {
        // Each price fits, but price x quantity does not.
        assertThat(deadLetter(event("\"90000000000000\"", "2")).reason())
                .startsWith("event total out of range");
    }

    @Test
    void anAbsurdQuantityIsADeadLetter() {
        assertThat(deadLetter(event("\"1.00\"", "2147483647")).reason())
                .isEqualTo("items[0].quantity 2147483647 above the limit of 1000000");
    }

    @Test
    void aCurrencyThatIsNoIso4217CodeIsADeadLetter() {
        assertThat(deadLetter(event("\"1.00\"", "1", "QQQ", "\"shop-1\"")).reason())
                .isEqualTo("currency 'QQQ' is not an ISO 4217 code like EUR");
    }

    @Test
    void aGa4PriceBeyondTheRangeIsADeadLetterToo() {
        String ga4 =
                "{\"client_id\":\"c.1\",\"user_id\":\"u-1\",\"timestamp_micros\":1795687200000000,"
                        + "\"events\":[{\"name\":\"add_to_cart\",\"params\":{\"currency\":\"EUR\","
                        + "\"store_id\":\"shop-1\",\"items\":[{\"item_id\":\"p-1\","
                        + "\"price\":1e999999999,\"quantity\":1}]}}]}";
        assertThat(deadLetter(ga4).reason()).contains("price out of range");
    }

    @Test
    void invalidUtf8InsideAStringIsADeadLetterWithTheExactBytes() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String json = event("\"1.00\"", "1");
        int at = json.indexOf("p-1") + 1;
        bytes.write(json.substring(0, at).getBytes(StandardCharsets.UTF_8));
        bytes.write(new byte[] {(byte) 0xC3, (byte) 0x28}); // a lead byte without continuation
        bytes.write(json.substring(at).getBytes(StandardCharsets.UTF_8));
        byte[] payload = bytes.toByteArray();

        DeadLetter letter = deadLetter(payload);

        assertThat(letter.reason()).startsWith("invalid UTF-8 at byte " + at);
        JsonNode json1 = DeadLetterJson.toJson(letter);
        assertThat(json1.has("payload")).isFalse();
        assertThat(Base64.getDecoder().decode(json1.get("payload_base64").asText()))
                .isEqualTo(payload);
    }

    @Test
    void binaryJunkIsADeadLetterWithTheExactBytes() {
        byte[] junk = new byte[300];
        new java.util.Random(15).nextBytes(junk);
        junk[0] = (byte) 0xFF;

        DeadLetter letter = deadLetter(junk);

        assertThat(letter.reason()).startsWith("invalid UTF-8 at byte 0");
        assertThat(
                        Base64.getDecoder()
                                .decode(
                                        DeadLetterJson.toJson(letter)
                                                .get("payload_base64")
                                                .asText()))
                .isEqualTo(junk);
    }

    @Test
    void anOversizedRecordIsADeadLetterWithABoundedPrefix() {
        byte[] big = new byte[10 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'x');
        big[0] = '{';

        DeadLetter letter = deadLetter(big);

        assertThat(letter.reason()).isEqualTo("oversized payload: 10485760 bytes, limit 65536");
        JsonNode json = DeadLetterJson.toJson(letter);
        assertThat(json.get("payload").asText()).hasSize(DeadLetter.MAX_PREFIX_BYTES);
        assertThat(json.get("payload_truncated").asBoolean()).isTrue();
        assertThat(json.get("payload_bytes").asLong()).isEqualTo(big.length);
    }

    @Test
    void aTruncatedPrefixNeverSplitsACharacter() {
        StringBuilder text = new StringBuilder("{\"x\":\"");
        while (text.length() < 70_000) {
            text.append('€');
        }
        DeadLetter letter = deadLetter(text.toString());
        JsonNode json = DeadLetterJson.toJson(letter);
        assertThat(json.has("payload")).as("valid UTF-8 stays text").isTrue();
        assertThat(json.get("payload").asText()).endsWith("€");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"shop-1\\nINFO forged line\"", "\"shop\\u0000\"", "\"a\\u001b[31m\""})
    void anIdWithControlCharactersIsADeadLetter(String store) {
        assertThat(deadLetter(event("\"1.00\"", "1", "EUR", store)).reason())
                .isEqualTo("store_id contains a control character");
    }

    @Test
    void anOverlongIdIsADeadLetter() {
        assertThat(
                        deadLetter(event("\"1.00\"", "1", "EUR", "\"" + "s".repeat(300) + "\""))
                                .reason())
                .isEqualTo("store_id longer than 200 characters");
    }

    @Test
    void anUnpairedSurrogateIsADeadLetter() {
        String json =
                event("\"1.00\"", "1").replace("\"p-1\"", "\"p-1\",\"name\":\"bad \\ud800 name\"");
        assertThat(deadLetter(json).reason())
                .isEqualTo("items[0].name is not valid Unicode (an unpaired surrogate)");
    }
}

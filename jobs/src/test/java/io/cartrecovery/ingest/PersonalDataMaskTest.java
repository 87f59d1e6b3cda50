package io.cartrecovery.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.testing.Schemas;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** dead-letters.mask-personal-data, one dead letter at a time (docs/security.md). */
class PersonalDataMaskTest {
    private static final SourcePosition PROFILES = SourcePosition.kafka("customer-profiles", 0, 7);

    private static DeadLetter personal(byte[] payload) {
        return new DeadLetter("negative lifetime_value", payload, PROFILES, 0L).personal();
    }

    @Test
    void personalFieldsAreMaskedAtAnyDepthAndTheRestStays() {
        byte[] profile =
                ("{\"customer_id\":\"c-1\",\"name\":\"Ana Ruiz\",\"email\":\"ana@example.com\","
                                + "\"phone\":\"+34600000001\",\"lifetime_value\":-1,"
                                + "\"contacts\":[{\"phone\":\"+34600000002\"}],\"notes\":null}")
                        .getBytes(StandardCharsets.UTF_8);
        DeadLetter masked = PersonalDataMask.apply(personal(profile));
        JsonNode json = DeadLetterJson.toJson(masked);
        Schemas.assertValid("dead-letter.schema.json", json);
        assertThat(json.get("payload").asText())
                .isEqualTo(
                        "{\"customer_id\":\"c-1\",\"name\":\"***\",\"email\":\"***\","
                                + "\"phone\":\"***\",\"lifetime_value\":-1,"
                                + "\"contacts\":[{\"phone\":\"***\"}],\"notes\":null}");
        assertThat(json.get("payload_masked").asBoolean()).isTrue();
        assertThat(json.get("payload_bytes").asLong()).isEqualTo(profile.length);
        assertThat(json.has("payload_truncated")).isFalse();
        assertThat(json.get("reason").asText()).isEqualTo("negative lifetime_value");
    }

    @Test
    void aPayloadThatIsNotAJsonObjectIsDroppedNotGuessedAt() {
        byte[][] unreadable = {
            {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, '"', '}'},
            "name=Ana Ruiz;phone=+34600000001".getBytes(StandardCharsets.UTF_8),
            "[\"Ana Ruiz\"]".getBytes(StandardCharsets.UTF_8)
        };
        for (byte[] payload : unreadable) {
            JsonNode json = DeadLetterJson.toJson(PersonalDataMask.apply(personal(payload)));
            Schemas.assertValid("dead-letter.schema.json", json);
            assertThat(json.has("payload")).isFalse();
            assertThat(json.has("payload_base64")).isFalse();
            assertThat(json.get("payload_masked").asBoolean()).isTrue();
            assertThat(json.get("payload_bytes").asLong()).isEqualTo(payload.length);
        }
        byte[] big = new byte[DeadLetter.MAX_PREFIX_BYTES * 2];
        java.util.Arrays.fill(big, (byte) 'a');
        DeadLetter truncated =
                DeadLetter.truncated("oversized", big, big.length, PROFILES, 0L).personal();
        JsonNode json = DeadLetterJson.toJson(PersonalDataMask.apply(truncated));
        assertThat(json.has("payload")).as("a cut record is not JSON").isFalse();
        assertThat(json.get("payload_bytes").asLong()).isEqualTo(big.length);
    }

    @Test
    void deadLettersOfOtherInputsAreKeptWhole() {
        byte[] event = "{\"name\":\"Blue shoes\"}".getBytes(StandardCharsets.UTF_8);
        DeadLetter clickstream =
                new DeadLetter("bad", event, SourcePosition.kafka("clickstream", 0, 1), 0L);
        assertThat(PersonalDataMask.apply(clickstream)).isSameAs(clickstream);
        JsonNode json = DeadLetterJson.toJson(clickstream);
        assertThat(json.get("payload").asText()).isEqualTo("{\"name\":\"Blue shoes\"}");
        assertThat(json.has("payload_masked")).isFalse();
    }
}

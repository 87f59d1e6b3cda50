package io.cartrecovery.profiles;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartrecovery.ingest.SourcePosition;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.testing.Schemas;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CustomerProfileJsonTest {
    static final String FULL =
            """
            {"store_id":"shop-1","customer_id":"u-42","name":"Ana Pérez","phone":"+34612345678",
             "email":"ana@example.com","language":"es","time_zone":"Europe/Madrid",
             "consent":{"call":{"granted":true,"at":"2026-01-10T09:00:00Z"},
                        "whatsapp":{"granted":false,"at":1767261600000},
                        "email":{"granted":true}},
             "do_not_contact":false,"order_count":6,"lifetime_value":"1530.40",
             "last_order_at":"2026-10-14T16:20:00+02:00"}
            """;

    @Test
    void readsEveryDocumentedField() throws Exception {
        CustomerProfile p = CustomerProfileJson.parse(FULL.getBytes(UTF_8));

        assertThat(p.customerId()).isEqualTo("u-42");
        assertThat(p.phone()).isEqualTo("+34612345678");
        assertThat(p.timeZone()).isEqualTo("Europe/Madrid");
        assertThat(p.consents(Channel.CALL)).isTrue();
        assertThat(p.consents(Channel.WHATSAPP)).isFalse();
        assertThat(p.consent().get(Channel.WHATSAPP).at()).isEqualTo(1767261600000L);
        assertThat(p.consents(Channel.SMS)).isFalse();
        assertThat(p.consents(Channel.EMAIL)).isTrue();
        assertThat(p.orderCount()).isEqualTo(6);
        assertThat(p.lifetimeValue()).isEqualTo(new BigDecimal("1530.40"));
        assertThat(p.lastOrderAt())
                .isEqualTo(java.time.Instant.parse("2026-10-14T14:20:00Z").toEpochMilli());
    }

    @Test
    void documentedExampleMatchesTheSchema() throws Exception {
        Schemas.assertValid("customer-profile.schema.json", new ObjectMapper().readTree(FULL));
    }

    @Test
    void minimalProfileHasNoConsentAndNoHistory() throws Exception {
        CustomerProfile p =
                CustomerProfileJson.parse(
                        "{\"store_id\":\"shop-1\",\"customer_id\":\"u-1\"}".getBytes(UTF_8));

        assertThat(p.consent()).isEmpty();
        assertThat(p.doNotContact()).isFalse();
        assertThat(p.orderCount()).isZero();
        assertThat(p.lifetimeValue()).isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "not json | not valid JSON",
                "[1] | not a JSON object",
                "{\"customer_id\":\"u\"} | missing store_id",
                "{\"store_id\":\"s\",\"customer_id\":\"u\",\"phone\":\"612 345 678\"} | phone is not"
                        + " E.164 (+ and 7-15 digits)",
                "{\"store_id\":\"s\",\"customer_id\":\"u\",\"consent\":{\"sms\":{\"granted\":\"yes\"}}}"
                        + " | consent.sms needs a boolean 'granted'",
                "{\"store_id\":\"s\",\"customer_id\":\"u\",\"time_zone\":\"Mars/Base\"} | time_zone"
                        + " is not an IANA zone id",
                "{\"store_id\":\"s\",\"customer_id\":\"u\",\"lifetime_value\":\"-3\"} |"
                        + " lifetime_value must be a decimal, not negative",
                "{\"store_id\":\"s\",\"customer_id\":\"u\",\"last_order_at\":\"yesterday\"} |"
                        + " last_order_at must be ISO-8601 with offset or epoch millis",
            })
    void badRecordsBecomeDeadLettersWithOneLineReasons(String json, String reason) {
        ParsedProfile parsed =
                ProfileIngestion.parse(
                        json.getBytes(UTF_8), SourcePosition.kafka("customer-profiles", 0, 7), 1L);

        assertThat(parsed.profile()).isNull();
        assertThat(parsed.deadLetter().reason()).isEqualTo(reason);
        assertThat(parsed.deadLetter().position().toString()).isEqualTo("customer-profiles-0@7");
    }

    @Test
    void reasonsNeverEchoPersonalData() {
        ParsedProfile parsed =
                ProfileIngestion.parse(
                        "{\"store_id\":\"s\",\"customer_id\":\"u\",\"phone\":\"555-0100\"}"
                                .getBytes(UTF_8),
                        SourcePosition.kafka("customer-profiles", 0, 1),
                        1L);

        assertThat(parsed.deadLetter().reason()).doesNotContain("555");
    }

    @Test
    void tombstoneCarriesOnlyItsPosition() {
        // Neither profile nor dead letter, but where it was read: the source sees every offset.
        assertThat(ProfileIngestion.parse(null, SourcePosition.kafka("t", 0, 1), 1L))
                .isEqualTo(new ParsedProfile(null, null, SourcePosition.kafka("t", 0, 1)));
    }
}

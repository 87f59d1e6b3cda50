package io.cartrecovery.events;

import static io.cartrecovery.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrecovery.testing.CanonicalParser;
import io.cartrecovery.testing.Events;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClickEventJsonTest {
    /** The wall clock stands one hour after T0 in these tests. */
    private final CanonicalParser parser =
            new CanonicalParser(
                    2048, Duration.ofHours(1), InstantSource.fixed(T0.plus(Duration.ofHours(1))));

    private ClickEvent parse(String json) throws InvalidEventException {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEveryFieldExactly() throws Exception {
        ClickEvent event =
                parse(
                        """
                        {"event_id": "e1", "type": "shipping_info", "store_id": "shop-1",
                         "event_time": "2026-11-26T11:00:00+01:00", "customer_id": 42,
                         "anonymous_id": "v-9", "session_id": "s-1", "currency": "EUR",
                         "items": [{"product_id": "p1", "name": "Shoe", "quantity": 2, "price": "59.90"},
                                   {"product_id": "p2", "price": 0.10}],
                         "shipping_cost": 4.90}
                        """);
        assertThat(event.type()).isEqualTo(EventType.SHIPPING_INFO);
        assertThat(event.eventTime()).isEqualTo(T0.toEpochMilli());
        assertThat(event.customerId()).isEqualTo("42");
        assertThat(event.items().get(0).unitPrice()).isEqualTo(new BigDecimal("59.90"));
        assertThat(event.items().get(0).lineTotal()).isEqualTo(new BigDecimal("119.80"));
        assertThat(event.items().get(1).quantity()).isEqualTo(1);
        assertThat(event.items().get(1).unitPrice()).isEqualTo(new BigDecimal("0.10"));
        assertThat(event.shippingCost()).isEqualTo(new BigDecimal("4.90"));
        assertThat(event.trackedCart().value()).isEqualTo("shop-1/customer/42");
    }

    @Test
    void writtenEventsReadBackUnchanged() throws Exception {
        ClickEvent event =
                Events.add("p1", 2, "19.99").visitor("v-1").session("s-1").shipping("3.50").build();
        assertThat(parser.parse(ClickEventJson.toJson(event))).isEqualTo(event);
    }

    @Test
    void acceptsEpochMillis() throws Exception {
        ClickEvent event =
                parse(
                        "{\"event_id\":\"e\",\"type\":\"page_view\",\"store_id\":\"s\",\"anonymous_id\":\"v\",\"event_time\":"
                                + T0.toEpochMilli()
                                + "}");
        assertThat(event.eventTime()).isEqualTo(T0.toEpochMilli());
        assertThat(event.trackedCart().value()).isEqualTo("s/visitor/v");
    }

    @Test
    void cartIdWinsOverCustomerForTheCartKey() throws Exception {
        ClickEvent event = Events.add("p1", 1, "1").cart("c-7").build();
        assertThat(event.trackedCart().value()).isEqualTo("shop-1/cart/c-7");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{not json | malformed JSON",
                "[1,2] | unrecognised record: neither a JSON object nor a CSV row",
                "{\"type\":\"page_view\"} {} | malformed JSON",
                "{\"type\":\"add_to_cart\",\"store_id\":\"s\",\"customer_id\":\"c\",\"event_time\":\"2026-11-26T10:00:00Z\",\"items\":[{\"product_id\":\"p\"}]} | missing event_id",
                "{\"event_id\":\"e\",\"store_id\":\"s\",\"customer_id\":\"c\",\"event_time\":\"2026-11-26T10:00:00Z\"} | missing type",
                "{\"event_id\":\"e\",\"type\":\"scroll\",\"store_id\":\"s\",\"customer_id\":\"c\",\"event_time\":\"2026-11-26T10:00:00Z\"} | unknown type 'scroll'",
                "{\"event_id\":\"e\",\"type\":\"page_view\",\"customer_id\":\"c\",\"event_time\":\"2026-11-26T10:00:00Z\"} | missing store_id",
                "{\"event_id\":\"e\",\"type\":\"page_view\",\"store_id\":\"s\",\"event_time\":\"2026-11-26T10:00:00Z\"} | missing cart_id, customer_id and anonymous_id",
                "{\"event_id\":\"e\",\"type\":\"page_view\",\"store_id\":\"s\",\"customer_id\":\"c\"} | missing event_time",
                "{\"event_id\":\"e\",\"type\":\"page_view\",\"store_id\":\"s\",\"customer_id\":\"c\",\"event_time\":\"yesterday\"} | event_time 'yesterday' is not ISO-8601",
                "{\"event_id\":\"e\",\"type\":\"page_view\",\"store_id\":\"s\",\"customer_id\":\"c\",\"event_time\":\"1970-01-01T00:00:01Z\"} | absurd event_time 1970-01-01T00:00:01Z: before 2000-01-01",
                "{\"event_id\":\"e\",\"type\":\"page_view\",\"store_id\":\"s\",\"customer_id\":\"c\",\"event_time\":\"2026-11-26T12:00:01Z\"} | absurd event_time 2026-11-26T12:00:01Z: more than PT1H in the future",
                "{\"event_id\":\"e\",\"type\":\"add_to_cart\",\"store_id\":\"s\",\"customer_id\":\"c\",\"event_time\":\"2026-11-26T10:00:00Z\",\"currency\":\"EUR\",\"items\":[{\"product_id\":\"p\",\"price\":\"-1.00\"}]} | negative items[0].price (-1.00)",
                "{\"event_id\":\"e\",\"type\":\"add_to_cart\",\"store_id\":\"s\",\"customer_id\":\"c\",\"event_time\":\"2026-11-26T10:00:00Z\",\"items\":[{\"product_id\":\"p\",\"quantity\":-2}]} | negative items[0].quantity (-2)",
                "{\"event_id\":\"e\",\"type\":\"add_to_cart\",\"store_id\":\"s\",\"customer_id\":\"c\",\"event_time\":\"2026-11-26T10:00:00Z\",\"items\":[{\"quantity\":2}]} | missing items[0].product_id",
                "{\"event_id\":\"e\",\"type\":\"add_to_cart\",\"store_id\":\"s\",\"customer_id\":\"c\",\"event_time\":\"2026-11-26T10:00:00Z\"} | add_to_cart needs at least one item",
                "{\"event_id\":\"e\",\"type\":\"add_to_cart\",\"store_id\":\"s\",\"customer_id\":\"c\",\"event_time\":\"2026-11-26T10:00:00Z\",\"items\":[{\"product_id\":\"p\",\"price\":1}]} | missing currency",
                "{\"event_id\":\"e\",\"type\":\"add_to_cart\",\"store_id\":\"s\",\"customer_id\":\"c\",\"event_time\":\"2026-11-26T10:00:00Z\",\"currency\":\"euro\",\"items\":[{\"product_id\":\"p\",\"price\":1}]} | currency 'euro' is not an ISO 4217 code",
                "{\"event_id\":\"e\",\"type\":\"shipping_info\",\"store_id\":\"s\",\"customer_id\":\"c\",\"event_time\":\"2026-11-26T10:00:00Z\",\"currency\":\"EUR\",\"shipping_cost\":\"-4\"} | negative shipping_cost (-4)",
                "{\"event_id\":{\"a\":1},\"type\":\"page_view\",\"store_id\":\"s\",\"customer_id\":\"c\",\"event_time\":\"2026-11-26T10:00:00Z\"} | event_id must be a string",
            })
    void rejectsWithAReasonNamingTheProblem(String json, String reason) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith(reason.strip());
    }

    @Test
    void rejectsOversizedPayloadUnread() {
        String json = Events.add("p1", 1, "1").orderId("x".repeat(3000)).json();
        assertThatThrownBy(() -> parse(json))
                .hasMessageStartingWith("oversized payload: ")
                .hasMessageContaining("limit 2048");
    }

    @Test
    void rejectsEmptyPayload() {
        assertThatThrownBy(() -> parser.parse(new byte[0])).hasMessage("empty payload");
    }
}

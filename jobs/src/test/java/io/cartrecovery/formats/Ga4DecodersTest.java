package io.cartrecovery.formats;

import static io.cartrecovery.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.events.EventType;
import io.cartrecovery.events.EventValidator;
import io.cartrecovery.events.InvalidEventException;
import io.cartrecovery.ingest.Ingested;
import io.cartrecovery.ingest.Ingestion;
import io.cartrecovery.ingest.SourcePosition;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both GA4 shapes, from payloads written after the published Measurement Protocol reference,
 * recommended e-commerce events and BigQuery export schema (samples in formats/ga4/).
 */
class Ga4DecodersTest {
    private static final String STORE = "shop-1";
    private static final long T0_MICROS = T0.toEpochMilli() * 1000;
    private static final String CLIENT = "1834728311.1795687100";

    private static final List<EventType> JOURNEY =
            List.of(
                    EventType.PAGE_VIEW,
                    EventType.PRODUCT_VIEW,
                    EventType.ADD_TO_CART,
                    EventType.ADD_TO_CART,
                    EventType.REMOVE_FROM_CART,
                    EventType.CART_VIEW,
                    EventType.CHECKOUT_START,
                    EventType.SHIPPING_INFO,
                    EventType.PAYMENT_INFO,
                    EventType.PURCHASE);

    private static DecodedRecord decode(RecordDecoder decoder, String json)
            throws InvalidEventException {
        return decode(decoder, json.getBytes(StandardCharsets.UTF_8));
    }

    private static DecodedRecord decode(RecordDecoder decoder, byte[] payload)
            throws InvalidEventException {
        DecodedRecord out = new DecodedRecord();
        decoder.decode(payload, out);
        return out;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = Ga4DecodersTest.class.getResourceAsStream("/formats/ga4/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static List<String> lines(String name) throws IOException {
        return new String(resource(name), StandardCharsets.UTF_8).lines().toList();
    }

    private static CartLine line(String productId, String name, int quantity, String price) {
        return new CartLine(
                productId, name, quantity, price == null ? null : new BigDecimal(price));
    }

    @Nested
    class MeasurementProtocol {
        private final Ga4MeasurementProtocolDecoder decoder =
                new Ga4MeasurementProtocolDecoder(STORE);

        /** A body of one web client with the given events, at T0 unless an event says otherwise. */
        private String body(String... events) {
            return """
                    {"client_id": "%s", "timestamp_micros": %d, "events": [%s]}"""
                    .formatted(CLIENT, T0_MICROS, String.join(",", events));
        }

        private ClickEvent only(String event) throws InvalidEventException {
            DecodedRecord out = decode(decoder, body(event));
            assertThat(out.rejections()).isEmpty();
            assertThat(out.events()).hasSize(1);
            return out.events().get(0);
        }

        @Test
        void mapsEveryEventOfASampleBody() throws Exception {
            DecodedRecord out = decode(decoder, resource("mp-body.json"));

            assertThat(out.rejections()).isEmpty();
            assertThat(out.skipped()).containsExactly("scroll");
            assertThat(out.events())
                    .extracting(ClickEvent::type)
                    .containsExactlyElementsOf(JOURNEY);
            assertThat(out.events())
                    .allSatisfy(
                            e -> {
                                assertThat(e.storeId()).isEqualTo(STORE);
                                assertThat(e.customerId()).isEqualTo("cust-42");
                                assertThat(e.anonymousId()).isEqualTo(CLIENT);
                                assertThat(e.sessionId()).isEqualTo("1795687200");
                                assertThat(e.trackedCart().value())
                                        .isEqualTo("shop-1/customer/cust-42");
                            });
            assertThat(out.events())
                    .extracting(ClickEvent::eventId)
                    .doesNotHaveDuplicates()
                    .doesNotContainNull();

            // The body's timestamp_micros for page_view, each other event's own.
            assertThat(out.events())
                    .extracting(ClickEvent::eventTime)
                    .containsExactly(
                            ms(0), ms(30), ms(60), ms(90), ms(130), ms(180), ms(300), ms(420),
                            ms(480), ms(540));

            ClickEvent pageView = out.events().get(0);
            assertThat(pageView.currency()).isNull();
            assertThat(pageView.items()).isEmpty();

            ClickEvent socks = out.events().get(3);
            assertThat(socks.currency()).isEqualTo("EUR");
            assertThat(socks.items()).containsExactly(line("sku-555", "Wool socks", 2, "4.95"));

            ClickEvent remove = out.events().get(4);
            assertThat(remove.items()).containsExactly(line("sku-555", "Wool socks", 1, "4.95"));

            ClickEvent checkout = out.events().get(6);
            assertThat(checkout.items())
                    .containsExactly(
                            line("sku-123", "Trail shoe", 1, "59.90"),
                            line("sku-555", "Wool socks", 1, "4.95"));
            assertThat(checkout.shippingCost()).isNull();

            ClickEvent shipping = out.events().get(7);
            assertThat(shipping.shippingCost()).isEqualTo(new BigDecimal("4.90"));

            ClickEvent purchase = out.events().get(9);
            assertThat(purchase.orderId()).isEqualTo("T-1001");
            assertThat(purchase.shippingCost()).isEqualTo(new BigDecimal("4.90"));
        }

        @Test
        void aBodySentTwiceGetsTheSameIds() throws Exception {
            List<String> first =
                    decode(decoder, resource("mp-body.json")).events().stream()
                            .map(ClickEvent::eventId)
                            .toList();
            List<String> again =
                    decode(decoder, resource("mp-body.json")).events().stream()
                            .map(ClickEvent::eventId)
                            .toList();
            assertThat(again).isEqualTo(first);
        }

        @Test
        void differentEventsAtTheSameTimeAndPositionGetDifferentIds() throws Exception {
            ClickEvent shoe =
                    only(
                            """
                            {"name": "add_to_cart", "params": {"items": [{"item_id": "sku-123"}]}}""");
            ClickEvent socks =
                    only(
                            """
                            {"name": "add_to_cart", "params": {"items": [{"item_id": "sku-555"}]}}""");
            assertThat(shoe.eventId()).isNotEqualTo(socks.eventId());
        }

        @Test
        void anEventIdParamIsTheEventId() throws Exception {
            ClickEvent event =
                    only(
                            """
                            {"name": "page_view", "params": {"event_id": "evt-77"}}""");
            assertThat(event.eventId()).isEqualTo("evt-77");
        }

        @Test
        void readsCartStoreAndSessionParams() throws Exception {
            ClickEvent event =
                    only(
                            """
                            {"name": "add_to_cart", "params": {"cart_id": "c-77", "store_id": "shop-9",
                             "session_id": 1795687200,
                             "items": [{"item_id": "sku-123", "item_name": "Trail shoe"}]}}""");
            assertThat(event.cartId()).isEqualTo("c-77");
            assertThat(event.storeId()).isEqualTo("shop-9");
            assertThat(event.sessionId()).isEqualTo("1795687200");
            assertThat(event.customerId()).isNull();
            assertThat(event.trackedCart().value()).isEqualTo("shop-9/cart/c-77");
            assertThat(event.items()).containsExactly(line("sku-123", "Trail shoe", 1, null));
            assertThat(event.currency()).isNull();
        }

        @Test
        void aStoreIdOfTheBodyServesItsEventsUnlessAnEventNamesItsOwn() throws Exception {
            DecodedRecord out =
                    decode(
                            new Ga4MeasurementProtocolDecoder(null),
                            """
                            {"client_id": "c-1", "store_id": "shop-2", "timestamp_micros": %d,
                             "events": [{"name": "page_view"},
                                        {"name": "page_view", "params": {"store_id": "shop-3"}}]}"""
                                    .formatted(T0_MICROS));
            assertThat(out.events())
                    .extracting(ClickEvent::storeId)
                    .containsExactly("shop-2", "shop-3");
        }

        @Test
        void withoutAnyStoreEachEventIsRejected() throws Exception {
            DecodedRecord out =
                    decode(
                            new Ga4MeasurementProtocolDecoder(null),
                            body("{\"name\": \"page_view\"}"));
            assertThat(out.events()).isEmpty();
            assertThat(out.rejections())
                    .containsExactly(
                            "missing store_id: the record names no store and ingest.store-id"
                                    + " (replay --store) is not set");
        }

        @Test
        void anAppStreamBodyIsKeyedByItsAppInstanceId() throws Exception {
            DecodedRecord out =
                    decode(
                            decoder,
                            """
                            {"app_instance_id": "cbd7e6f5a4b3c2d1e0f9a8b7c6d5e4f3", "user_id": "cust-7",
                             "timestamp_micros": "%d", "events": [{"name": "view_cart"}]}"""
                                    .formatted(T0_MICROS));
            ClickEvent event = out.events().get(0);
            assertThat(event.anonymousId()).isEqualTo("cbd7e6f5a4b3c2d1e0f9a8b7c6d5e4f3");
            assertThat(event.customerId()).isEqualTo("cust-7");
            assertThat(event.eventTime()).isEqualTo(T0.toEpochMilli());
        }

        @Test
        void anEventsOwnTimestampWinsOverTheBodys() throws Exception {
            ClickEvent event =
                    only(
                            """
                            {"name": "page_view", "timestamp_micros": %d}"""
                                    .formatted(T0_MICROS + 1_500_999));
            assertThat(event.eventTime()).isEqualTo(T0.toEpochMilli() + 1_500);
        }

        @Test
        void shippingBecomesTheShippingCostAndIsAbsentWithoutIt() throws Exception {
            ClickEvent withCost =
                    only(
                            """
                            {"name": "add_shipping_info", "params": {"currency": "EUR",
                             "shipping_tier": "Express", "shipping": 7.50}}""");
            ClickEvent withoutCost =
                    only(
                            """
                            {"name": "add_shipping_info", "params": {"currency": "EUR",
                             "shipping_tier": "Ground"}}""");
            assertThat(withCost.type()).isEqualTo(EventType.SHIPPING_INFO);
            assertThat(withCost.shippingCost().toPlainString()).isEqualTo("7.50");
            assertThat(withoutCost.shippingCost()).isNull();
        }

        @Test
        void pricesStayExactAsWritten() throws Exception {
            ClickEvent event =
                    only(
                            """
                            {"name": "add_to_cart", "params": {"currency": "EUR", "items": [
                              {"item_id": "a", "price": "19.99", "quantity": 3},
                              {"item_id": "b", "price": 19.90},
                              {"item_id": "c", "price": 0.1}]}}""");
            assertThat(event.items())
                    .extracting(l -> l.unitPrice().toPlainString())
                    .containsExactly("19.99", "19.90", "0.1");
            assertThat(event.items().get(0).lineTotal().toPlainString()).isEqualTo("59.97");
        }

        @Test
        void eventsThePipelineDoesNotUseAreSkipped() throws Exception {
            DecodedRecord out =
                    decode(
                            decoder,
                            body(
                                    "{\"name\": \"session_start\"}",
                                    "{\"name\": \"first_visit\"}",
                                    "{\"name\": \"user_engagement\","
                                            + " \"params\": {\"engagement_time_msec\": 5000}}",
                                    "{\"name\": \"view_item_list\", \"params\": {\"items\": \"?\"}}",
                                    "{\"name\": \"select_item\"}",
                                    "{\"name\": \"login\", \"params\": {\"method\": \"Google\"}}",
                                    "{\"name\": \"page_view\"}"));
            assertThat(out.rejections()).isEmpty();
            assertThat(out.skipped())
                    .containsExactly(
                            "session_start",
                            "first_visit",
                            "user_engagement",
                            "view_item_list",
                            "select_item",
                            "login");
            assertThat(out.events())
                    .extracting(ClickEvent::type)
                    .containsExactly(EventType.PAGE_VIEW);
        }

        @ParameterizedTest(name = "{1}")
        @CsvSource(
                delimiter = '|',
                quoteCharacter = '`',
                textBlock =
                        """
                42 | events[1] must be an object, not 42
                {"params": {}} | missing events[1].name
                {"name": "page_view", "params": "x"} | events[1].params must be an object, not 'x'
                {"name": "page_view", "timestamp_micros": "soon"} | events[1].timestamp_micros is not a whole number ('soon')
                {"name": "page_view", "timestamp_micros": -5} | events[1].timestamp_micros is negative (-5)
                {"name": "add_to_cart", "params": {"items": [{"item_id": "a", "price": "abc"}]}} | events[1].params.items[0].price is not a number ('abc')
                {"name": "add_to_cart", "params": {"items": [{"item_id": "a", "price": -2}]}} | events[1].params.items[0].price is negative (-2)
                {"name": "add_to_cart", "params": {"items": [{"item_id": "a", "price": true}]}} | events[1].params.items[0].price is not a number (true)
                {"name": "add_to_cart", "params": {"items": [{"item_id": "a", "quantity": 1.5}]}} | events[1].params.items[0].quantity is not a whole number (1.5)
                {"name": "add_to_cart", "params": {"items": [{"item_id": "a", "quantity": 2.0}]}} | events[1].params.items[0].quantity is not a whole number (2.0)
                {"name": "remove_from_cart", "params": {"items": [{"item_id": "a", "quantity": -1}]}} | events[1].params.items[0].quantity is negative (-1)
                {"name": "add_to_cart", "params": {"items": [{"item_id": "a", "quantity": 3000000000}]}} | events[1].params.items[0].quantity is too large (3000000000)
                {"name": "add_to_cart", "params": {"items": [{"item_id": "a", "price": "0123456789012345678901234567890123456789ABCDE"}]}} | events[1].params.items[0].price is not a number ('0123456789012345678901234567890123456789...')
                {"name": "add_to_cart", "params": {"items": [{"item_name": "Trail shoe"}]}} | missing events[1].params.items[0].item_id
                {"name": "add_to_cart", "params": {"items": [{"item_id": ["a"]}]}} | events[1].params.items[0].item_id must be a string, not an array
                {"name": "view_cart", "params": {"items": {"item_id": "a"}}} | events[1].params.items must be an array, not an object
                {"name": "view_cart", "params": {"items": ["a"]}} | events[1].params.items[0] must be an object, not 'a'
                {"name": "add_to_cart", "params": {"currency": "EUR"}} | missing events[1].params.items: add_to_cart needs at least one item
                {"name": "remove_from_cart", "params": {"items": []}} | missing events[1].params.items: remove_from_cart needs at least one item
                {"name": "add_shipping_info", "params": {"shipping": "free"}} | events[1].params.shipping is not a number ('free')
                {"name": "purchase", "params": {"transaction_id": {"id": 1}}} | events[1].params.transaction_id must be a string, not an object
                {"name": "view_cart", "params": {"cart_id": 7.5}} | events[1].params.cart_id must be a string, not 7.5
                """)
        void aBrokenEventIsRejectedAndTheOthersStand(String event, String reason) throws Exception {
            DecodedRecord out =
                    decode(
                            decoder,
                            body("{\"name\": \"page_view\"}", event, "{\"name\": \"view_cart\"}"));
            assertThat(out.rejections()).containsExactly(reason);
            assertThat(out.events())
                    .extracting(ClickEvent::type)
                    .containsExactly(EventType.PAGE_VIEW, EventType.CART_VIEW);
        }

        @Test
        void anEventWithoutAnyTimeIsRejected() throws Exception {
            DecodedRecord out =
                    decode(
                            decoder,
                            """
                            {"client_id": "c-1", "events": [
                              {"name": "page_view", "timestamp_micros": %d}, {"name": "page_view"}]}"""
                                    .formatted(T0_MICROS));
            assertThat(out.events()).hasSize(1);
            assertThat(out.rejections())
                    .containsExactly(
                            "missing timestamp_micros: neither events[1] nor the body has one, and"
                                    + " the pipeline needs the event time");
        }

        @ParameterizedTest(name = "{1}")
        @CsvSource(
                delimiter = '|',
                quoteCharacter = '`',
                textBlock =
                        """
                {"client_id": "c-1", "timestamp_micros": 1} | missing events
                {"client_id": "c-1", "events": {"name": "page_view"}} | events must be an array, not an object
                {"client_id": "c-1", "events": []} | events is empty
                {"events": [{"name": "page_view"}]} | missing client_id (app_instance_id for app streams)
                {"client_id": " ", "events": [{"name": "page_view"}]} | missing client_id (app_instance_id for app streams)
                {"client_id": {"id": 1}, "events": [{"name": "page_view"}]} | client_id must be a string, not an object
                {"client_id": "c-1", "user_id": true, "events": [{"name": "page_view"}]} | user_id must be a string, not true
                {"client_id": "c-1", "timestamp_micros": "yesterday", "events": [{"name": "page_view"}]} | timestamp_micros is not a whole number ('yesterday')
                {"client_id": "c-1", "timestamp_micros": 1.7956872E15, "events": [{"name": "page_view"}]} | timestamp_micros is not a whole number (1.7956872E+15)
                {"client_id": "c-1", "timestamp_micros": -1, "events": [{"name": "page_view"}]} | timestamp_micros is negative (-1)
                """)
        void aBrokenBodyIsRejectedWhole(String body, String reason) {
            assertThatThrownBy(() -> decode(decoder, body))
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessage(reason);
        }

        @Test
        void recognisesBodiesByEventsAndADeviceId() throws Exception {
            assertThat(looksLike("{\"client_id\": \"c\", \"events\": []}")).isTrue();
            assertThat(looksLike("{\"app_instance_id\": \"a\", \"events\": []}")).isTrue();
            assertThat(looksLike("{\"events\": []}")).isFalse();
            assertThat(looksLike("{\"client_id\": \"c\", \"events\": {}}")).isFalse();
            assertThat(looksLike(lines("bigquery-rows.jsonl").get(0))).isFalse();
        }

        private boolean looksLike(String json) throws InvalidEventException {
            return Ga4MeasurementProtocolDecoder.looksLike(
                    ClickEventJson.readObject(json.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Nested
    class BigQueryExport {
        private final Ga4BigQueryDecoder decoder = new Ga4BigQueryDecoder(STORE);

        /** An export row at T0 with the given event_params and other columns. */
        private String row(String name, String params, String more) {
            return """
                    {"event_date": "20261126", "event_timestamp": "%d", "event_name": "%s",
                     "event_params": [%s], "user_pseudo_id": "%s", "stream_id": "9876543210",
                     "platform": "WEB"%s}"""
                    .formatted(T0_MICROS, name, params, CLIENT, more.isEmpty() ? "" : ", " + more);
        }

        private ClickEvent only(String row) throws InvalidEventException {
            DecodedRecord out = decode(decoder, row);
            assertThat(out.rejections()).isEmpty();
            assertThat(out.events()).hasSize(1);
            return out.events().get(0);
        }

        @Test
        void mapsEveryEventOfASampleExport() throws Exception {
            DecodedRecord out = new DecodedRecord();
            for (String line : lines("bigquery-rows.jsonl")) {
                decoder.decode(line.getBytes(StandardCharsets.UTF_8), out);
            }

            assertThat(out.rejections()).isEmpty();
            assertThat(out.skipped()).containsExactly("session_start", "user_engagement");
            assertThat(out.events())
                    .extracting(ClickEvent::type)
                    .containsExactlyElementsOf(JOURNEY);
            assertThat(out.events())
                    .allSatisfy(
                            e -> {
                                assertThat(e.storeId()).isEqualTo(STORE);
                                assertThat(e.customerId()).isEqualTo("cust-42");
                                assertThat(e.anonymousId()).isEqualTo(CLIENT);
                                assertThat(e.sessionId()).isEqualTo("1795687200");
                            });
            assertThat(out.events())
                    .extracting(ClickEvent::eventTime)
                    .containsExactly(
                            ms(0), ms(30), ms(60), ms(90), ms(130), ms(180), ms(300), ms(420),
                            ms(480), ms(540));
            assertThat(out.events()).extracting(ClickEvent::eventId).doesNotHaveDuplicates();
            assertThat(out.events().get(0).currency()).isNull();
            assertThat(out.events().subList(1, 10))
                    .extracting(ClickEvent::currency)
                    .containsOnly("EUR");

            // Prices are FLOAT64 in the export, written as 59.9; quantities INT64, written "2".
            assertThat(out.events().get(2).items())
                    .containsExactly(line("sku-123", "Trail shoe", 1, "59.9"));
            assertThat(out.events().get(3).items())
                    .containsExactly(line("sku-555", "Wool socks", 2, "4.95"));
            assertThat(out.events().get(6).items())
                    .containsExactly(
                            line("sku-123", "Trail shoe", 1, "59.9"),
                            line("sku-555", "Wool socks", 1, "4.95"));
            assertThat(out.events().get(6).orderId()).as("(not set)").isNull();

            // A custom shipping param on add_shipping_info; ecommerce.shipping_value on purchase.
            assertThat(out.events().get(7).shippingCost()).isEqualTo(new BigDecimal("4.9"));
            ClickEvent purchase = out.events().get(9);
            assertThat(purchase.orderId()).isEqualTo("T-1001");
            assertThat(purchase.shippingCost()).isEqualTo(new BigDecimal("4.9"));
        }

        @Test
        void aRowExportedTwiceGetsTheSameIdAndNumbersMayBeStringsOrNot() throws Exception {
            String asStrings =
                    row(
                            "page_view",
                            "",
                            "\"event_bundle_sequence_id\": \"5\", \"batch_event_index\": \"1\"");
            String asNumbers =
                    row(
                                    "page_view",
                                    "",
                                    "\"event_bundle_sequence_id\": 5, \"batch_event_index\": 1")
                            .replace("\"" + T0_MICROS + "\"", Long.toString(T0_MICROS));
            String otherIndex =
                    row(
                            "page_view",
                            "",
                            "\"event_bundle_sequence_id\": 5, \"batch_event_index\": 2");
            assertThat(only(asNumbers).eventId()).isEqualTo(only(asStrings).eventId());
            assertThat(only(otherIndex).eventId()).isNotEqualTo(only(asStrings).eventId());
            assertThat(only(asNumbers).eventTime()).isEqualTo(T0.toEpochMilli());
        }

        @Test
        void readsTypedEventParams() throws Exception {
            ClickEvent event =
                    only(
                            row(
                                    "add_shipping_info",
                                    """
                                    {"key": "ga_session_id", "value": {"int_value": 1795687200}},
                                    {"key": "cart_id", "value": {"string_value": null, "int_value": "77",
                                      "float_value": null, "double_value": null}},
                                    {"key": "store_id", "value": {"string_value": "shop-9"}},
                                    {"key": "currency", "value": {"string_value": "EUR"}},
                                    {"key": "value", "value": {"double_value": 64.85}},
                                    {"key": "shipping", "value": {"float_value": 7.50}},
                                    {"key": "currency", "value": {"string_value": "USD"}}""",
                                    ""));
            assertThat(event.sessionId()).isEqualTo("1795687200");
            assertThat(event.cartId()).isEqualTo("77");
            assertThat(event.storeId()).isEqualTo("shop-9");
            assertThat(event.currency()).as("first of a repeated key").isEqualTo("EUR");
            assertThat(event.shippingCost().toPlainString()).isEqualTo("7.50");
            assertThat(event.trackedCart().value()).isEqualTo("shop-9/cart/77");
        }

        @Test
        void aShippingParamMayBeAnIntValue() throws Exception {
            ClickEvent event =
                    only(
                            row(
                                    "add_shipping_info",
                                    "{\"key\": \"shipping\", \"value\": {\"int_value\": \"5\"}}",
                                    ""));
            assertThat(event.shippingCost()).isEqualTo(new BigDecimal("5"));
        }

        @Test
        void pricesStayExactAsWritten() throws Exception {
            ClickEvent event =
                    only(
                            row(
                                    "view_cart",
                                    "{\"key\": \"currency\", \"value\": {\"string_value\": \"EUR\"}}",
                                    """
                                    "items": [{"item_id": "a", "price": "19.99", "quantity": "3"},
                                              {"item_id": "b", "price": 19.90, "price_in_usd": 20.7}]"""));
            assertThat(event.items())
                    .extracting(l -> l.unitPrice().toPlainString())
                    .containsExactly("19.99", "19.90");
            assertThat(event.items()).extracting(CartLine::quantity).containsExactly(3, 1);
        }

        @Test
        void unusedEventsAreSkipped() throws Exception {
            DecodedRecord out = decode(decoder, row("scroll", "", ""));
            assertThat(out.events()).isEmpty();
            assertThat(out.rejections()).isEmpty();
            assertThat(out.skipped()).containsExactly("scroll");
        }

        @ParameterizedTest(name = "{1}")
        @CsvSource(
                delimiter = '|',
                quoteCharacter = '`',
                textBlock =
                        """
                {"event_name": null, "event_timestamp": "1795687200000000", "user_pseudo_id": "p"} | missing event_name
                {"event_name": "page_view", "event_timestamp": null, "user_pseudo_id": "p"} | missing event_timestamp
                {"event_name": "page_view", "event_timestamp": "abc", "user_pseudo_id": "p"} | event_timestamp is not a whole number ('abc')
                {"event_name": "page_view", "event_timestamp": "-1", "user_pseudo_id": "p"} | event_timestamp is negative (-1)
                {"event_name": "page_view", "event_timestamp": "1795687200000000", "event_params": {"key": "x"}} | event_params must be an array, not an object
                {"event_name": "page_view", "event_timestamp": "1795687200000000", "event_params": [{"value": {"int_value": "1"}}]} | missing event_params[0].key
                {"event_name": "page_view", "event_timestamp": "1795687200000000", "event_params": [{"key": "ga_session_id", "value": "1"}]} | event_params[0].value must be an object, not '1'
                {"event_name": "page_view", "event_timestamp": "1795687200000000", "event_params": [{"key": "currency", "value": {"double_value": 1.5}}]} | event_params[0].value.double_value (currency) must be a string_value or int_value
                {"event_name": "page_view", "event_timestamp": "1795687200000000", "event_params": [{"key": "ga_session_id", "value": {"int_value": "1e3"}}]} | event_params[0].value.int_value is not a whole number ('1e3')
                {"event_name": "add_shipping_info", "event_timestamp": "1795687200000000", "event_params": [{"key": "shipping", "value": {"string_value": "free"}}]} | event_params[0].value.string_value is not a number ('free')
                {"event_name": "add_to_cart", "event_timestamp": "1795687200000000", "items": []} | missing items: add_to_cart needs at least one item
                {"event_name": "add_to_cart", "event_timestamp": "1795687200000000", "items": [{"item_id": "a", "price": "abc"}]} | items[0].price is not a number ('abc')
                {"event_name": "add_to_cart", "event_timestamp": "1795687200000000", "items": [{"item_id": "a", "quantity": "1.5"}]} | items[0].quantity is not a whole number ('1.5')
                {"event_name": "add_to_cart", "event_timestamp": "1795687200000000", "items": [{"item_id": "(not set)", "item_name": "Shoe"}]} | missing items[0].item_id
                {"event_name": "purchase", "event_timestamp": "1795687200000000", "ecommerce": "T-1"} | ecommerce must be an object, not 'T-1'
                {"event_name": "purchase", "event_timestamp": "1795687200000000", "ecommerce": {"shipping_value": -4.9}} | ecommerce.shipping_value is negative (-4.9)
                {"event_name": "page_view", "event_timestamp": "1795687200000000", "event_bundle_sequence_id": "x"} | event_bundle_sequence_id is not a whole number ('x')
                """)
        void aBrokenRowIsRejected(String row, String reason) {
            assertThatThrownBy(() -> decode(decoder, row))
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessage(reason);
        }

        @Test
        void recognisesRowsByEventNameAndTimestamp() throws Exception {
            assertThat(looksLike(lines("bigquery-rows.jsonl").get(0))).isTrue();
            assertThat(looksLike("{\"event_name\": \"x\"}")).isFalse();
            assertThat(looksLike(new String(resource("mp-body.json"), StandardCharsets.UTF_8)))
                    .isFalse();
        }

        private boolean looksLike(String json) throws InvalidEventException {
            return Ga4BigQueryDecoder.looksLike(
                    ClickEventJson.readObject(json.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** The production path: auto-detection, then the validator every format passes. */
    @Nested
    class ThroughIngestion {
        private final Ingestion ingestion =
                new Ingestion(
                        Decoders.forFormat(Format.AUTO, STORE),
                        new EventValidator(
                                Duration.ofHours(1),
                                InstantSource.fixed(T0.plus(Duration.ofHours(1)))),
                        65536);
        private final List<Ingested> out = new ArrayList<>();
        private final List<String> skipped = new ArrayList<>();

        private void ingest(byte[] payload) {
            ingestion.ingest(
                    payload, SourcePosition.fileLine("test", 1), 0, out::add, skipped::add);
        }

        private List<ClickEvent> events() {
            return out.stream().map(Ingested::event).filter(e -> e != null).toList();
        }

        private List<String> reasons() {
            return out.stream()
                    .filter(i -> i.deadLetter() != null)
                    .map(i -> i.deadLetter().reason())
                    .toList();
        }

        @Test
        void detectsAndAcceptsAMeasurementProtocolBody() throws Exception {
            ingest(resource("mp-body.json"));
            assertThat(reasons()).isEmpty();
            assertThat(skipped).containsExactly("scroll");
            assertThat(events()).extracting(ClickEvent::type).containsExactlyElementsOf(JOURNEY);
        }

        @Test
        void detectsAndAcceptsBigQueryRows() throws Exception {
            for (String line : lines("bigquery-rows.jsonl")) {
                ingest(line.getBytes(StandardCharsets.UTF_8));
            }
            assertThat(reasons()).isEmpty();
            assertThat(skipped).containsExactly("session_start", "user_engagement");
            assertThat(events()).extracting(ClickEvent::type).containsExactlyElementsOf(JOURNEY);
        }

        @Test
        void deadLettersOnlyTheBrokenEventOfABody() {
            ingest(
                    """
                    {"client_id": "c-1", "timestamp_micros": %d, "events": [
                      {"name": "add_to_cart", "params": {"currency": "EUR",
                       "items": [{"item_id": "sku-1", "price": "9.99"}]}},
                      {"name": "add_to_cart", "params": {"currency": "EUR",
                       "items": [{"item_id": "sku-2", "price": "abc"}]}}]}"""
                            .formatted(T0_MICROS)
                            .getBytes(StandardCharsets.UTF_8));
            assertThat(events())
                    .extracting(e -> e.items().get(0).productId())
                    .containsExactly("sku-1");
            assertThat(reasons())
                    .containsExactly("events[1].params.items[0].price is not a number ('abc')");
        }

        @Test
        void theValidatorStillChecksMappedEvents() {
            // Milliseconds sent as timestamp_micros land in January 1970.
            ingest(
                    """
                    {"client_id": "c-1", "timestamp_micros": %d, "events": [{"name": "page_view"}]}"""
                            .formatted(T0.toEpochMilli())
                            .getBytes(StandardCharsets.UTF_8));
            assertThat(reasons()).singleElement().asString().startsWith("absurd event_time 1970-");
        }

        @Test
        void deadLettersABrokenBodyOnce() {
            ingest(
                    "{\"client_id\": \"c-1\", \"timestamp_micros\": \"now\", \"events\": [{}, {}]}"
                            .getBytes(StandardCharsets.UTF_8));
            assertThat(events()).isEmpty();
            assertThat(reasons()).containsExactly("timestamp_micros is not a whole number ('now')");
        }
    }

    /** Epoch millis {@code seconds} after T0. */
    private static long ms(int seconds) {
        return T0.toEpochMilli() + seconds * 1000L;
    }
}

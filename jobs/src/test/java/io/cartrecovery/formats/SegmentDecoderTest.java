package io.cartrecovery.formats;

import static io.cartrecovery.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.events.ContactDetails;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SegmentDecoderTest {
    private static final String VISITOR = "a3c1e9d2-5b7f-4e0a-9c11-0f2b6d8e4a10";

    private final SegmentDecoder decoder = new SegmentDecoder("shop-1");

    /** The one event a call decoded to. */
    private ClickEvent decodeOnly(String json) throws InvalidEventException {
        DecodedRecord out = decode(json);
        assertThat(out.events()).hasSize(1);
        assertThat(out.rejections()).isEmpty();
        assertThat(out.skipped()).isEmpty();
        return out.events().get(0);
    }

    private DecodedRecord decode(String json) throws InvalidEventException {
        DecodedRecord out = new DecodedRecord();
        decoder.decode(ClickEventJson.readObject(json.getBytes(StandardCharsets.UTF_8)), out);
        return out;
    }

    /** A track call at T0 from a visitor who is not logged in. */
    private static String track(String event, String properties) {
        return """
                {"type": "track", "event": "%s", "messageId": "m-1", "anonymousId": "v-1",
                 "timestamp": "2026-11-26T10:00:00.000Z", "properties": %s}
                """
                .formatted(event, properties);
    }

    private ClickEvent decodeTrack(String event, String properties) throws InvalidEventException {
        return decodeOnly(track(event, properties));
    }

    private static List<String> calls() throws IOException {
        try (InputStream in =
                SegmentDecoderTest.class.getResourceAsStream("/formats/segment/calls.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void productAddedIsOneLineWithExactPriceAndItsCart() throws Exception {
        ClickEvent event =
                decodeTrack(
                        "Product Added",
                        """
                        {"cart_id": "skdjsidjsdkdj29j", "product_id": "507f1f77bcf86cd799439011",
                         "sku": "G-32", "category": "Games", "name": "Monopoly: 3rd Edition",
                         "brand": "Hasbro", "variant": "200 pieces", "price": 18.99, "quantity": 3,
                         "coupon": "MAYDEALS", "position": 3, "currency": "USD",
                         "url": "https://www.example.com/product/path"}
                        """);
        assertThat(event.type()).isEqualTo(EventType.ADD_TO_CART);
        assertThat(event.eventId()).isEqualTo("m-1");
        assertThat(event.storeId()).isEqualTo("shop-1");
        assertThat(event.eventTime()).isEqualTo(T0.toEpochMilli());
        assertThat(event.cartId()).isEqualTo("skdjsidjsdkdj29j");
        assertThat(event.anonymousId()).isEqualTo("v-1");
        assertThat(event.customerId()).isNull();
        assertThat(event.currency()).isEqualTo("USD");
        assertThat(event.items())
                .containsExactly(
                        new CartLine(
                                "507f1f77bcf86cd799439011",
                                "Monopoly: 3rd Edition",
                                3,
                                new BigDecimal("18.99")));
        assertThat(event.trackedCart().value()).isEqualTo("shop-1/cart/skdjsidjsdkdj29j");
    }

    @Test
    void pricesStayExactWithTheirScale() throws Exception {
        ClickEvent event =
                decodeTrack(
                        "Cart Viewed",
                        """
                        {"currency": "EUR", "products": [
                          {"product_id": "p1", "price": 59.90, "quantity": 2},
                          {"product_id": "p2", "price": "0.10"},
                          {"product_id": "p3", "price": 19}]}
                        """);
        assertThat(event.items().get(0).unitPrice()).isEqualTo(new BigDecimal("59.90"));
        assertThat(event.items().get(0).lineTotal()).isEqualTo(new BigDecimal("119.80"));
        assertThat(event.items().get(1).unitPrice()).isEqualTo(new BigDecimal("0.10"));
        assertThat(event.items().get(2).unitPrice()).isEqualTo(new BigDecimal("19"));
    }

    @Test
    void skuStandsInForAMissingProductIdAndQuantityDefaultsToOne() throws Exception {
        ClickEvent event =
                decodeTrack("Product Removed", "{\"sku\": \"G-32\", \"name\": \"Monopoly\"}");
        assertThat(event.type()).isEqualTo(EventType.REMOVE_FROM_CART);
        assertThat(event.items()).containsExactly(new CartLine("G-32", "Monopoly", 1, null));
        assertThat(event.currency()).isNull();
    }

    @Test
    void aQuantityWrittenWithAZeroFractionIsWhole() throws Exception {
        ClickEvent event = decodeTrack("Product Added", "{\"sku\": \"p\", \"quantity\": 2.0}");
        assertThat(event.items()).containsExactly(new CartLine("p", null, 2, null));
    }

    @Test
    void productViewedIsActivityWithoutItems() throws Exception {
        ClickEvent event =
                decodeTrack(
                        "Product Viewed",
                        "{\"product_id\": \"p1\", \"price\": 18.99, \"currency\": \"usd\"}");
        assertThat(event.type()).isEqualTo(EventType.PRODUCT_VIEW);
        assertThat(event.items()).isEmpty();
    }

    @Test
    void cartViewedIsASnapshotOfTheWholeCart() throws Exception {
        ClickEvent event =
                decodeTrack(
                        "Cart Viewed",
                        """
                        {"cart_id": "d92jd29jd92jd29j92d92jd", "products": [
                          {"product_id": "507f1f77bcf86cd799439011", "sku": "45790-32",
                           "name": "Monopoly: 3rd Edition", "price": 19, "position": 1},
                          {"product_id": "505bd76785ebb509fc183733", "sku": "46493-32",
                           "name": "Uno Card Game", "price": 3, "position": 2}]}
                        """);
        assertThat(event.type()).isEqualTo(EventType.CART_VIEW);
        assertThat(event.items())
                .extracting(CartLine::productId, CartLine::quantity)
                .containsExactly(
                        tuple("507f1f77bcf86cd799439011", 1), tuple("505bd76785ebb509fc183733", 1));
        // No currency in the call: none is assumed.
        assertThat(event.currency()).isNull();
    }

    @Test
    void checkoutStartedCarriesTheCartAndTheShippingCostShown() throws Exception {
        ClickEvent event =
                decodeTrack(
                        "Checkout Started",
                        """
                        {"order_id": "50314b8e9bcf000000000000", "affiliation": "Google Store",
                         "value": 30, "revenue": 25.00, "shipping": 3, "tax": 2, "discount": 2.5,
                         "coupon": "hasbros", "currency": "USD", "products": [
                           {"product_id": "507f1f77bcf86cd799439011", "sku": "45790-32",
                            "name": "Monopoly: 3rd Edition", "price": 19, "quantity": 1},
                           {"product_id": "505bd76785ebb509fc183733", "sku": "46493-32",
                            "name": "Uno Card Game", "price": 3, "quantity": 2}]}
                        """);
        assertThat(event.type()).isEqualTo(EventType.CHECKOUT_START);
        assertThat(event.currency()).isEqualTo("USD");
        assertThat(event.shippingCost()).isEqualTo(new BigDecimal("3"));
        assertThat(event.items()).hasSize(2);
        assertThat(event.items().get(1).lineTotal()).isEqualTo(new BigDecimal("6"));
        // The order id of a started checkout is no purchase.
        assertThat(event.orderId()).isNull();
    }

    @Test
    void aViewedCheckoutStepKeepsTheCartInCheckout() throws Exception {
        ClickEvent event =
                decodeTrack(
                        "Checkout Step Viewed",
                        """
                        {"checkout_id": "50314b8e9bcf000000000000", "step": 2,
                         "shipping_method": "Fedex", "payment_method": "Visa"}
                        """);
        assertThat(event.type()).isEqualTo(EventType.CHECKOUT_START);
        assertThat(event.items()).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "{\"checkout_id\": \"c\", \"step\": 2, \"shipping_method\": \"Fedex\", \"payment_method\": \"Visa\"} | SHIPPING_INFO",
                "{\"checkout_id\": \"c\", \"step\": 2, \"shipping\": \"4.90\", \"currency\": \"EUR\"} | SHIPPING_INFO",
                "{\"checkout_id\": \"c\", \"step\": 1} | CHECKOUT_START",
                "{\"checkout_id\": \"c\", \"step\": 3, \"payment_method\": \"Visa\"} | CHECKOUT_START",
            })
    void aCompletedCheckoutStepReachesShippingOnlyWhenItSettledShipping(
            String properties, EventType expected) throws Exception {
        assertThat(decodeTrack("Checkout Step Completed", properties).type()).isEqualTo(expected);
    }

    @Test
    void paymentInfoEnteredIsThePaymentStage() throws Exception {
        ClickEvent event =
                decodeTrack(
                        "Payment Info Entered",
                        "{\"checkout_id\": \"39f39fj39f3jf93fj9fj39fj3f\", \"order_id\": \"dkfs\"}");
        assertThat(event.type()).isEqualTo(EventType.PAYMENT_INFO);
        assertThat(event.orderId()).isNull();
    }

    @Test
    void orderCompletedIsThePurchaseOfItsOrder() throws Exception {
        ClickEvent event =
                decodeTrack(
                        "Order Completed",
                        """
                        {"checkout_id": "fksdjfsdjfisjf9sdfjsd9f",
                         "order_id": "50314b8e9bcf000000000000", "affiliation": "Google Store",
                         "total": 27.50, "subtotal": 22.50, "revenue": 25.00, "shipping": 3,
                         "tax": 2, "discount": 2.5, "coupon": "hasbros", "currency": "USD",
                         "products": [{"product_id": "507f1f77bcf86cd799439011", "price": 19,
                                       "quantity": 1}]}
                        """);
        assertThat(event.type()).isEqualTo(EventType.PURCHASE);
        assertThat(event.orderId()).isEqualTo("50314b8e9bcf000000000000");
        assertThat(event.items()).isEmpty();
    }

    @Test
    void aPurchaseIsNeverLostOverFieldsThePipelineDoesNotUse() throws Exception {
        ClickEvent event =
                decodeTrack(
                        "Order Completed",
                        """
                        {"order_id": "o-1", "total": "n/a", "currency": "dollars",
                         "products": [{"price": "abc"}]}
                        """);
        assertThat(event.type()).isEqualTo(EventType.PURCHASE);
    }

    @Test
    void eventNamesMatchIgnoringCaseAndUnderscores() throws Exception {
        assertThat(decodeTrack("order_completed", "{\"order_id\": \"o-1\"}").type())
                .isEqualTo(EventType.PURCHASE);
        assertThat(decodeTrack("product added", "{\"product_id\": \"p1\"}").type())
                .isEqualTo(EventType.ADD_TO_CART);
    }

    @ParameterizedTest
    @CsvSource({
        "Products Searched", "Product List Viewed", "Product Clicked", "Promotion Viewed",
        "Coupon Entered", "Order Refunded", "Product Added to Wishlist", "Signed Up"
    })
    void unusedTrackEventsAreSkippedNotDeadLettered(String name) throws Exception {
        DecodedRecord out = decode(track(name, "{\"query\": \"blue roses\"}"));
        assertThat(out.events()).isEmpty();
        assertThat(out.rejections()).isEmpty();
        assertThat(out.skipped()).containsExactly(name);
    }

    @Test
    void groupAndAliasCallsAreSkipped() throws Exception {
        DecodedRecord group =
                decode(
                        """
                        {"type": "group", "messageId": "m-g", "userId": "u-1", "groupId": "0e8c78ea",
                         "traits": {"name": "Initech"}, "timestamp": "2026-11-26T10:00:00Z"}
                        """);
        DecodedRecord alias =
                decode(
                        """
                        {"type": "alias", "messageId": "m-a", "previousId": "v-1", "userId": "u-1",
                         "timestamp": "2026-11-26T10:00:00Z"}
                        """);
        assertThat(group.skipped()).containsExactly("group");
        assertThat(alias.skipped()).containsExactly("alias");
        assertThat(group.events()).isEmpty();
        assertThat(alias.events()).isEmpty();
    }

    @Test
    void pageAndScreenCallsArePageViews() throws Exception {
        ClickEvent page =
                decodeOnly(
                        """
                        {"type": "page", "messageId": "m-p", "anonymousId": "v-1", "name": "Home",
                         "properties": {"title": "Welcome", "url": "https://shop.example/"},
                         "timestamp": "2026-11-26T10:00:00Z"}
                        """);
        ClickEvent screen =
                decodeOnly(
                        """
                        {"type": "screen", "messageId": "m-s", "userId": "u-1", "name": "Cart",
                         "properties": {"store_id": "shop-2"}, "timestamp": "2026-11-26T10:00:00Z"}
                        """);
        assertThat(page.type()).isEqualTo(EventType.PAGE_VIEW);
        assertThat(page.eventId()).isEqualTo("m-p");
        assertThat(screen.type()).isEqualTo(EventType.PAGE_VIEW);
        assertThat(screen.storeId()).isEqualTo("shop-2");
        assertThat(screen.customerId()).isEqualTo("u-1");
    }

    @Test
    void identifyCarriesTheCustomerAndTheContactTraits() throws Exception {
        ClickEvent event =
                decodeOnly(
                        """
                        {"type": "identify", "messageId": "022bb90c-bbac-11e4-8dfc-aa07a5b093db",
                         "anonymousId": "507f191e810c19729de860ea", "userId": "97980cfea0067",
                         "traits": {"name": "Peter Gibbons", "email": "peter@example.com",
                                    "phone": "+14155550100", "plan": "premium", "logins": 5,
                                    "address": {"city": "San Francisco"}},
                         "context": {"ip": "8.8.8.8"},
                         "timestamp": "2015-02-23T22:28:55.111Z"}
                        """);
        assertThat(event.type()).isEqualTo(EventType.IDENTIFY);
        assertThat(event.customerId()).isEqualTo("97980cfea0067");
        assertThat(event.anonymousId()).isEqualTo("507f191e810c19729de860ea");
        assertThat(event.contact())
                .isEqualTo(
                        new ContactDetails("Peter Gibbons", "peter@example.com", "+14155550100"));
        assertThat(event.eventTime())
                .isEqualTo(Instant.parse("2015-02-23T22:28:55.111Z").toEpochMilli());
    }

    @Test
    void identifyJoinsFirstAndLastNameInEitherSpelling() throws Exception {
        String call =
                """
                {"type": "identify", "messageId": "m-i", "userId": "u-1",
                 "timestamp": "2026-11-26T10:00:00Z", "traits": %s}
                """;
        assertThat(
                        decodeOnly(
                                        call.formatted(
                                                "{\"firstName\": \"Jane\", \"lastName\": \"Doe\"}"))
                                .contact())
                .isEqualTo(new ContactDetails("Jane Doe", null, null));
        assertThat(
                        decodeOnly(
                                        call.formatted(
                                                "{\"first_name\": \"Jane\", \"email\": \"j@x.io\"}"))
                                .contact())
                .isEqualTo(new ContactDetails("Jane", "j@x.io", null));
        assertThat(decodeOnly(call.formatted("{\"plan\": \"premium\"}")).contact()).isNull();
    }

    @Test
    void timeFallsBackToOriginalTimestampThenSentAt() throws Exception {
        String base = "{\"type\": \"page\", \"messageId\": \"m\", \"anonymousId\": \"v\", %s}";
        assertThat(
                        decodeOnly(
                                        base.formatted(
                                                "\"originalTimestamp\": \"2026-11-26T11:00:00+01:00\","
                                                        + " \"sentAt\": \"2026-11-26T10:00:05Z\""))
                                .eventTime())
                .isEqualTo(T0.toEpochMilli());
        assertThat(decodeOnly(base.formatted("\"sentAt\": \"2026-11-26T10:00:05Z\"")).eventTime())
                .isEqualTo(T0.plusSeconds(5).toEpochMilli());
    }

    @Test
    void theCallsStoreWinsOverTheConfiguredOne() throws Exception {
        ClickEvent event =
                decodeTrack("Product Added", "{\"product_id\": \"p\", \"store_id\": \"de\"}");
        assertThat(event.storeId()).isEqualTo("de");

        JsonNode noStore = ClickEventJson.readObject(bytes(track("Product Added", "{}")));
        assertThatThrownBy(() -> new SegmentDecoder(null).decode(noStore, new DecodedRecord()))
                .hasMessageStartingWith("missing properties.store_id");
    }

    @Test
    void aUserIdMakesTheEventTheCustomers() throws Exception {
        ClickEvent event =
                decodeOnly(
                        """
                        {"type": "track", "event": "Product Added", "messageId": "m-1",
                         "userId": 42, "anonymousId": "v-1", "timestamp": "2026-11-26T10:00:00Z",
                         "properties": {"product_id": 7}}
                        """);
        assertThat(event.customerId()).isEqualTo("42");
        assertThat(event.items().get(0).productId()).isEqualTo("7");
        assertThat(event.trackedCart().value()).isEqualTo("shop-1/customer/42");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "{\"type\":\"track\",\"event\":\"Product Added\",\"anonymousId\":\"v\",\"timestamp\":\"2026-11-26T10:00:00Z\",\"properties\":{\"sku\":\"p\"}} | missing messageId",
                "{\"type\":\"track\",\"messageId\":\"m\",\"anonymousId\":\"v\",\"timestamp\":\"2026-11-26T10:00:00Z\"} | missing event",
                "{\"messageId\":\"m\",\"anonymousId\":\"v\"} | missing type",
                "{\"type\":\"Track\",\"messageId\":\"m\"} | type 'Track' is not a Segment call type (track, identify, page, screen, group, alias)",
                "{\"type\":\"track\",\"event\":\"Product Added\",\"messageId\":\"m\",\"timestamp\":\"2026-11-26T10:00:00Z\",\"properties\":{\"sku\":\"p\"}} | missing userId and anonymousId: a Segment call has one of them",
                "{\"type\":\"track\",\"event\":\"Product Added\",\"messageId\":\"m\",\"userId\":{\"id\":1},\"timestamp\":\"2026-11-26T10:00:00Z\"} | userId must be a string",
                "{\"type\":\"page\",\"messageId\":\"m\",\"anonymousId\":\"v\"} | missing timestamp (and originalTimestamp, sentAt)",
                "{\"type\":\"page\",\"messageId\":\"m\",\"anonymousId\":\"v\",\"timestamp\":\"26/11/2026 10:00\"} | timestamp '26/11/2026 10:00' is not ISO-8601 with an offset (e.g. 2026-11-26T10:15:30Z)",
                "{\"type\":\"page\",\"messageId\":\"m\",\"anonymousId\":\"v\",\"timestamp\":\"2026-11-26T10:00:00\"} | timestamp '2026-11-26T10:00:00' is not ISO-8601 with an offset (e.g. 2026-11-26T10:15:30Z)",
                "{\"type\":\"page\",\"messageId\":\"m\",\"anonymousId\":\"v\",\"timestamp\":1795687200000} | timestamp must be an ISO-8601 string",
                "{\"type\":\"page\",\"messageId\":\"m\",\"anonymousId\":\"v\",\"timestamp\":\"2026-11-26T10:00:00Z\",\"properties\":[1]} | properties must be an object",
                "{\"type\":\"identify\",\"messageId\":\"m\",\"userId\":\"u\",\"timestamp\":\"2026-11-26T10:00:00Z\",\"traits\":\"jane@example.com\"} | traits must be an object",
                "{\"type\":\"identify\",\"messageId\":\"m\",\"userId\":\"u\",\"timestamp\":\"2026-11-26T10:00:00Z\",\"traits\":{\"email\":[\"jane@example.com\"]}} | traits.email must be a string",
            })
    void brokenCallsNameTheSegmentField(String json, String reason) {
        assertThatThrownBy(() -> decode(json))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage(reason);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "Cart Viewed | {\"products\":[{\"product_id\":\"p1\",\"price\":1},{\"product_id\":\"p2\",\"price\":\"abc\"}]} | properties.products[1].price is not a number ('abc')",
                "Cart Viewed | {\"products\":[{\"product_id\":\"p1\",\"price\":true}]} | properties.products[0].price is not a number (true)",
                "Checkout Started | {\"products\":[{\"product_id\":\"p1\",\"price\":-2}]} | properties.products[0].price is negative (-2)",
                "Checkout Started | {\"products\":{\"product_id\":\"p1\"}} | properties.products must be an array",
                "Checkout Started | {\"products\":[\"p1\"]} | properties.products[0] must be an object",
                "Checkout Started | {\"products\":[{\"name\":\"Shoe\"}]} | missing properties.products[0].product_id and properties.products[0].sku: one names the product",
                "Checkout Started | {\"shipping\":\"free\"} | properties.shipping is not a number ('free')",
                "Product Added | {\"sku\":\"p\",\"quantity\":1.5} | properties.quantity is not a whole number (1.5)",
                "Product Added | {\"sku\":\"p\",\"quantity\":\"2\"} | properties.quantity is not a whole number ('2')",
                "Product Added | {\"sku\":\"p\",\"quantity\":-1} | properties.quantity is negative (-1)",
                "Product Added | {\"sku\":\"p\",\"quantity\":3000000000} | properties.quantity is too large (3000000000)",
                "Product Added | {\"sku\":\"p\",\"price\":\"0123456789012345678901234567890123456789ABCDE\"} | properties.price is not a number ('0123456789012345678901234567890123456789...')",
                "Product Added | {\"sku\":\"p\",\"price\":\"19,99\"} | properties.price is not a number ('19,99')",
                "Product Added | {\"name\":\"Shoe\"} | missing properties.product_id and properties.sku: one names the product",
                "Product Added | {\"product_id\":[\"p\"]} | properties.product_id must be a string",
                "Product Added | {\"sku\":\"p\",\"currency\":\"dollars\"} | properties.currency 'dollars' is not an ISO 4217 code like EUR",
                "Product Added | {\"sku\":\"p\",\"cart_id\":{}} | properties.cart_id must be a string",
                "Order Completed | {\"order_id\":{\"id\":\"o\"}} | properties.order_id must be a string",
            })
    void brokenPropertiesNameTheirPath(String event, String properties, String reason) {
        assertThatThrownBy(() -> decode(track(event, properties)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage(reason);
    }

    @Test
    void recognisesSegmentCallsButNotCanonicalEvents() throws Exception {
        for (String call : calls()) {
            assertThat(SegmentDecoder.looksLike(ClickEventJson.readObject(bytes(call))))
                    .as(call)
                    .isTrue();
        }
        assertThat(looksLike("{\"messageId\": \"m\", \"event\": \"Product Added\"}")).isTrue();
        assertThat(
                        looksLike(
                                "{\"event_id\": \"e\", \"type\": \"add_to_cart\", \"store_id\": \"s\"}"))
                .isFalse();
        // A canonical event with a stray messageId is still canonical.
        assertThat(
                        looksLike(
                                "{\"event_id\": \"e\", \"type\": \"page_view\", \"messageId\": \"m\"}"))
                .isFalse();
        assertThat(looksLike("{\"client_id\": \"1.2\", \"events\": []}")).isFalse();
        // "identify" is a canonical type as well as a Segment call type.
        assertThat(
                        looksLike(
                                "{\"event_id\": \"e\", \"type\": \"identify\", \"customer_id\": \"c\"}"))
                .isFalse();
    }

    private static boolean looksLike(String json) throws InvalidEventException {
        return SegmentDecoder.looksLike(ClickEventJson.readObject(bytes(json)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void autoDetectionIngestsASegmentJourneyAndTheValidatorAcceptsEveryEvent() throws Exception {
        Ingestion ingestion =
                new Ingestion(
                        Decoders.forFormat(Format.AUTO, "shop-1"),
                        new EventValidator(
                                Duration.ofHours(1),
                                InstantSource.fixed(T0.plus(Duration.ofHours(1)))),
                        65536);
        List<Ingested> out = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> calls = calls();
        for (int line = 0; line < calls.size(); line++) {
            ingestion.ingest(
                    bytes(calls.get(line)),
                    SourcePosition.fileLine("calls.jsonl", line + 1),
                    0,
                    out::add,
                    skipped::add);
        }

        assertThat(out).allSatisfy(ingested -> assertThat(ingested.deadLetter()).isNull());
        List<ClickEvent> events = out.stream().map(Ingested::event).toList();
        assertThat(events)
                .extracting(ClickEvent::type)
                .containsExactly(
                        EventType.PAGE_VIEW,
                        EventType.PRODUCT_VIEW,
                        EventType.ADD_TO_CART,
                        EventType.ADD_TO_CART,
                        EventType.REMOVE_FROM_CART,
                        EventType.CART_VIEW,
                        EventType.IDENTIFY,
                        EventType.CHECKOUT_START,
                        EventType.CHECKOUT_START,
                        EventType.SHIPPING_INFO,
                        EventType.PAYMENT_INFO,
                        EventType.PURCHASE);
        assertThat(skipped).containsExactly("Products Searched");
        assertThat(events).allSatisfy(e -> assertThat(e.storeId()).isEqualTo("shop-1"));
        assertThat(events).allSatisfy(e -> assertThat(e.anonymousId()).isEqualTo(VISITOR));
        assertThat(events.get(0).eventTime())
                .isEqualTo(Instant.parse("2026-11-26T10:00:00.060Z").toEpochMilli());

        ClickEvent socks = events.get(3);
        assertThat(socks.items())
                .containsExactly(new CartLine("SOCK-555", "Wool socks", 2, new BigDecimal("4.95")));
        ClickEvent checkout = events.get(7);
        assertThat(checkout.trackedCart().value()).isEqualTo("shop-1/cart/c-77");
        assertThat(checkout.customerId()).isEqualTo("42");
        assertThat(checkout.items().stream().map(CartLine::lineTotal).reduce(BigDecimal::add))
                .contains(new BigDecimal("64.85"));
        assertThat(events.get(9).shippingCost()).isEqualTo(new BigDecimal("4.90"));
        assertThat(events.get(6).contact())
                .isEqualTo(new ContactDetails("Jane Example", "jane@example.com", "+4930123456"));
        assertThat(events.get(11).orderId()).isEqualTo("o-5001");
    }

    @Test
    void theDocumentedExampleMapsAsDescribed() throws Exception {
        List<ClickEvent> events = new ArrayList<>();
        for (String line : documentedExample()) {
            events.add(decodeOnly(line));
        }
        assertThat(events)
                .extracting(ClickEvent::type, e -> e.trackedCart().value())
                .containsExactly(
                        tuple(EventType.ADD_TO_CART, "shop-1/cart/c-77"),
                        tuple(EventType.IDENTIFY, "shop-1/customer/42"),
                        tuple(EventType.SHIPPING_INFO, "shop-1/cart/c-77"));
        assertThat(events.get(0).items())
                .containsExactly(
                        new CartLine("9714107479", "Trail shoe", 1, new BigDecimal("59.90")));
        assertThat(events.get(1).contact())
                .isEqualTo(new ContactDetails("Jane Example", "jane@example.com", null));
        assertThat(events.get(2).shippingCost()).isEqualTo(new BigDecimal("4.90"));
        assertThat(events.get(2).customerId()).isEqualTo("42");
    }

    /** The ```jsonl block of docs/formats/segment.md, found upwards from Maven's module dir. */
    private static List<String> documentedExample() throws IOException {
        Path docs = null;
        for (Path p = Path.of("").toAbsolutePath(); p != null && docs == null; p = p.getParent()) {
            Path file = p.resolve("docs/formats/segment.md");
            docs = Files.isRegularFile(file) ? file : null;
        }
        assertThat(docs).as("docs/formats/segment.md").isNotNull();
        String text = Files.readString(docs);
        int start = text.indexOf("```jsonl\n") + "```jsonl\n".length();
        List<String> lines = text.substring(start, text.indexOf("```", start)).lines().toList();
        assertThat(lines).isNotEmpty();
        return lines;
    }

    @Test
    void autoDetectionStillReadsCanonicalEventsAsCanonical() {
        Ingestion ingestion =
                new Ingestion(
                        Decoders.forFormat(Format.AUTO, "shop-1"),
                        new EventValidator(
                                Duration.ofHours(1),
                                InstantSource.fixed(T0.plus(Duration.ofHours(1)))),
                        65536);
        List<Ingested> out = new ArrayList<>();
        ingestion.ingest(
                bytes(
                        """
                        {"event_id":"e-1","type":"add_to_cart","store_id":"shop-9",
                         "event_time":"2026-11-26T10:00:00Z","cart_id":"c-1",
                         "items":[{"product_id":"p1"}]}
                        """),
                SourcePosition.fileLine("mixed.jsonl", 1),
                0,
                out::add,
                skipped -> {});
        assertThat(out)
                .singleElement()
                .satisfies(i -> assertThat(i.event().storeId()).isEqualTo("shop-9"));
    }
}

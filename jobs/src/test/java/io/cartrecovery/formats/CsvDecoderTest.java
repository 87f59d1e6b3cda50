package io.cartrecovery.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.EventType;
import io.cartrecovery.events.EventValidator;
import io.cartrecovery.events.InvalidEventException;
import io.cartrecovery.ingest.Ingested;
import io.cartrecovery.ingest.Ingestion;
import io.cartrecovery.ingest.SourcePosition;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CsvDecoderTest {
    private static final String HEADER =
            "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,"
                    + "user_session";

    /** Real rows of the REES46 sample (shared/data), one of each type it has. */
    private static final String VIEW =
            "2019-10-01 00:00:01 UTC,view,17200506,2053013559792632471,furniture.living_room.sofa,,"
                    + "543.10,519107250,566511c2-e2e3-422b-b695-cf8e6e792ca8";

    private static final String CART =
            "2019-10-01 00:09:33 UTC,cart,1002524,2053013555631882655,electronics.smartphone,"
                    + "apple,515.67,524325294,0b74a829-f9d7-4654-b5b0-35bc9822c238";

    private static final String PURCHASE =
            "2019-10-01 00:02:14 UTC,purchase,1004856,2053013555631882655,electronics.smartphone,"
                    + "samsung,130.76,543272936,8187d148-3c41-46d4-b0c0-9c08cd9dc564";

    private final CsvDecoder decoder = new CsvDecoder("rees46");

    @Test
    void viewIsAProductViewOfTheUserWithTheProductAsItem() throws Exception {
        ClickEvent event = decodeOne(VIEW);
        assertThat(event.type()).isEqualTo(EventType.PRODUCT_VIEW);
        assertThat(event.storeId()).isEqualTo("rees46");
        assertThat(event.eventTime())
                .isEqualTo(Instant.parse("2019-10-01T00:00:01Z").toEpochMilli());
        assertThat(event.customerId()).isEqualTo("519107250");
        assertThat(event.sessionId()).isEqualTo("566511c2-e2e3-422b-b695-cf8e6e792ca8");
        assertThat(event.cartId()).isNull();
        assertThat(event.anonymousId()).isNull();
        assertThat(event.currency()).as("the layout has no currency").isNull();
        assertThat(event.orderId()).isNull();
        assertThat(event.items())
                .containsExactly(new CartLine("17200506", "sofa", 1, new BigDecimal("543.10")));
        assertThat(event.trackedCart().value()).isEqualTo("rees46/customer/519107250");
    }

    @Test
    void cartIsAnAddOfOneUnitAtThePrice() throws Exception {
        ClickEvent event = decodeOne(CART);
        assertThat(event.type()).isEqualTo(EventType.ADD_TO_CART);
        assertThat(event.eventTime())
                .isEqualTo(Instant.parse("2019-10-01T00:09:33Z").toEpochMilli());
        assertThat(event.customerId()).isEqualTo("524325294");
        assertThat(event.items())
                .singleElement()
                .satisfies(
                        line -> {
                            assertThat(line.productId()).isEqualTo("1002524");
                            assertThat(line.name()).isEqualTo("apple smartphone");
                            assertThat(line.quantity()).isEqualTo(1);
                            assertThat(line.unitPrice()).isEqualByComparingTo("515.67");
                        });
    }

    @Test
    void removeFromCartIsARemoveOfOneUnit() throws Exception {
        // The sample has no remove rows; other files of the layout do.
        ClickEvent event =
                decodeOne(
                        "2019-11-01 10:00:00 UTC,remove_from_cart,5809910,1602943681873052386,,"
                                + "grattol,5.24,595414620,4adb70bb-edbd-4981-b60f-a05bfd32683a");
        assertThat(event.type()).isEqualTo(EventType.REMOVE_FROM_CART);
        assertThat(event.items())
                .singleElement()
                .satisfies(
                        line -> {
                            assertThat(line.productId()).isEqualTo("5809910");
                            assertThat(line.name()).isEqualTo("grattol");
                            assertThat(line.quantity()).isEqualTo(1);
                        });
    }

    @Test
    void purchaseIsAPurchaseOfTheUser() throws Exception {
        ClickEvent event = decodeOne(PURCHASE);
        assertThat(event.type()).isEqualTo(EventType.PURCHASE);
        assertThat(event.customerId()).isEqualTo("543272936");
        assertThat(event.orderId()).as("the layout has no order id").isNull();
        assertThat(event.items()).extracting(CartLine::productId).containsExactly("1004856");
    }

    @Test
    void priceKeepsItsScale() throws Exception {
        ClickEvent event = decodeOne("2019-10-01 00:00:00 UTC,cart,p1,1,,acme,1.30,u1,s1");
        assertThat(event.items().get(0).unitPrice().toPlainString()).isEqualTo("1.30");
    }

    @Test
    void emptyPriceIsUnknownAndEmptyOptionalColumnsAreAbsent() throws Exception {
        ClickEvent event = decodeOne("2019-10-01 00:00:00 UTC,cart,p1,,,,,u1,");
        assertThat(event.items()).containsExactly(new CartLine("p1", null, 1, null));
        assertThat(event.sessionId()).isNull();
    }

    @Test
    void quotedFieldsMayHoldCommasAndQuotes() throws Exception {
        ClickEvent event =
                decodeOne(
                        "\"2019-10-01 00:00:00 UTC\",cart,\"p,1\",1,\"home.tables, chairs\","
                                + "\"the \"\"best\"\" brand\",\"9.90\",u1,s1");
        assertThat(event.items())
                .singleElement()
                .satisfies(
                        line -> {
                            assertThat(line.productId()).isEqualTo("p,1");
                            assertThat(line.name()).isEqualTo("the \"best\" brand tables, chairs");
                            assertThat(line.unitPrice().toPlainString()).isEqualTo("9.90");
                        });
    }

    @Test
    void timesInOtherZonesAndWithFractionsAreReadExactly() throws Exception {
        assertThat(
                        decodeOne("2019-10-01 02:00:00.250 Europe/Berlin,view,p1,1,,,1,u1,s1")
                                .eventTime())
                .isEqualTo(Instant.parse("2019-10-01T00:00:00.250Z").toEpochMilli());
    }

    @Test
    void headerIsSkippedNotRejected() throws Exception {
        DecodedRecord out = decode(HEADER);
        assertThat(out.events()).isEmpty();
        assertThat(out.skipped()).containsExactly("header");
        // A spreadsheet's byte order mark and Windows line ends change nothing.
        assertThat(decode("\uFEFF" + HEADER + "\r\n").skipped()).containsExactly("header");
    }

    @Test
    void unknownEventTypeIsSkipped() throws Exception {
        DecodedRecord out = decode("2019-10-01 00:00:00 UTC,wishlist,p1,1,,,1.00,u1,s1");
        assertThat(out.events()).isEmpty();
        assertThat(out.skipped()).containsExactly("wishlist");
    }

    @Test
    void sameRowGetsTheSameEventIdAndAnotherRowAnother() throws Exception {
        String id = decodeOne(CART).eventId();
        assertThat(decodeOne(CART + "\n").eventId()).isEqualTo(id);
        assertThat(decodeOne(CART.replace("00:09:33", "00:09:34")).eventId()).isNotEqualTo(id);
        assertThat(id).isEqualTo(EventIds.derive("csv", CART));
    }

    static Stream<Arguments> brokenRows() {
        return Stream.of(
                Arguments.of(
                        "2019-10-01 00:00:00 UTC,view,p1,1,,,1.00,u1",
                        "expected 9 columns (event_time,event_type,product_id,category_id,"
                                + "category_code,brand,price,user_id,user_session), found 8"),
                Arguments.of(
                        "2019-10-01 00:00:00 UTC,view,p1,1,,,1.00,u1,s1,extra",
                        "expected 9 columns (event_time,event_type,product_id,category_id,"
                                + "category_code,brand,price,user_id,user_session), found 10"),
                Arguments.of(
                        "yesterday,view,p1,1,,,1.00,u1,s1",
                        "column event_time: 'yesterday' is not a time like 2019-10-01 00:00:00 UTC"),
                Arguments.of(
                        "2019-10-01 00:00:00,view,p1,1,,,1.00,u1,s1",
                        "column event_time: '2019-10-01 00:00:00' is not a time like 2019-10-01"
                                + " 00:00:00 UTC"),
                Arguments.of(
                        "2019-02-30 00:00:00 UTC,view,p1,1,,,1.00,u1,s1",
                        "column event_time: '2019-02-30 00:00:00 UTC' is not a time like"
                                + " 2019-10-01 00:00:00 UTC"),
                Arguments.of(",view,p1,1,,,1.00,u1,s1", "column event_time: missing"),
                Arguments.of(
                        "2019-10-01 00:00:00 UTC,,p1,1,,,1.00,u1,s1", "column event_type: missing"),
                Arguments.of(
                        "2019-10-01 00:00:00 UTC,cart,p1,1,,,abc,u1,s1",
                        "column price: 'abc' is not a number"),
                Arguments.of(
                        "2019-10-01 00:00:00 UTC,cart,p1,1,,,-2.50,u1,s1",
                        "column price: '-2.50' is negative"),
                Arguments.of(
                        "2019-10-01 00:00:00 UTC,cart,p1,1,,,1.00,,s1", "column user_id: missing"),
                Arguments.of(
                        "2019-10-01 00:00:00 UTC,cart, ,1,,,1.00,u1,s1",
                        "column product_id: missing"),
                Arguments.of(
                        "2019-10-01 00:00:00 UTC,cart,\"p1,1,,,1.00,u1,s1",
                        "malformed CSV: Missing closing quote for value"),
                Arguments.of(
                        "2019-10-01 00:00:00 UTC,cart,p1,1,,,1.00,u1,s1\n"
                                + "2019-10-01 00:00:01 UTC,cart,p2,1,,,1.00,u1,s1",
                        "malformed CSV: more than one row in one record"));
    }

    @ParameterizedTest
    @MethodSource("brokenRows")
    void brokenRowIsRejectedNamingTheColumn(String row, String reason) {
        assertThatThrownBy(() -> decode(row))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage(reason);
    }

    @Test
    void withoutAStoreEveryRowIsRejectedSayingHowToSetOne() {
        assertThatThrownBy(() -> new CsvDecoder(null).decode(bytes(CART), new DecodedRecord()))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage(
                        "missing store_id (the CSV layout has no store column): the record names"
                                + " no store and ingest.store-id (replay --store) is not set");
    }

    @Test
    void looksLikeRowsAndTheHeaderOfTheLayoutOnly() {
        assertThat(CsvDecoder.looksLike(bytes(VIEW))).isTrue();
        assertThat(CsvDecoder.looksLike(bytes(HEADER))).isTrue();
        assertThat(CsvDecoder.looksLike(bytes("a,b,c,d,e,f,g,h,i"))).isTrue();
        assertThat(CsvDecoder.looksLike(bytes("2019-10-01 00:00:00 UTC,view,p1,1,,,1.00,u1")))
                .isFalse();
        assertThat(CsvDecoder.looksLike(bytes("hello world"))).isFalse();
        assertThat(CsvDecoder.looksLike(bytes("a,\"b,c,d,e,f,g,h,i"))).isFalse();
    }

    @Test
    void autoDetectionReadsRowsAndHeaderAndRejectsOtherText() {
        Ingestion ingestion =
                new Ingestion(
                        Decoders.forFormat(Format.AUTO, "rees46"),
                        new EventValidator(Duration.ofHours(1), InstantSource.system()),
                        64 * 1024);
        List<Ingested> results = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> lines =
                List.of(
                        HEADER,
                        VIEW,
                        CART,
                        PURCHASE,
                        "2019-10-01 00:00:00 UTC,wishlist,p1,1,,,1.00,u1,s1",
                        "2019-10-01 00:00:00 UTC,cart,p1,1,,,abc,u1,s1",
                        "2019-10-01 00:00:00 UTC,view,p1,1,,,1.00,u1",
                        "hello world");
        for (int i = 0; i < lines.size(); i++) {
            ingestion.ingest(
                    bytes(lines.get(i)),
                    SourcePosition.fileLine("sample.csv", i + 1),
                    0L,
                    results::add,
                    skipped::add);
        }
        assertThat(results.stream().filter(r -> r.event() != null).map(r -> r.event().type()))
                .containsExactly(EventType.PRODUCT_VIEW, EventType.ADD_TO_CART, EventType.PURCHASE);
        assertThat(skipped).containsExactly("header", "wishlist");
        assertThat(results.stream().filter(r -> r.deadLetter() != null))
                .extracting(r -> r.deadLetter().position().offset(), r -> r.deadLetter().reason())
                .containsExactly(
                        tuple(6L, "column price: 'abc' is not a number"),
                        // Not 9 columns, so not recognised as a row of the layout at all.
                        tuple(7L, Decoders.AutoDecoder.UNRECOGNISED),
                        tuple(8L, Decoders.AutoDecoder.UNRECOGNISED));
    }

    private ClickEvent decodeOne(String row) throws InvalidEventException {
        DecodedRecord out = decode(row);
        assertThat(out.skipped()).isEmpty();
        assertThat(out.rejections()).isEmpty();
        assertThat(out.events()).hasSize(1);
        return out.events().get(0);
    }

    private DecodedRecord decode(String row) throws InvalidEventException {
        DecodedRecord out = new DecodedRecord();
        decoder.decode(bytes(row), out);
        return out;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

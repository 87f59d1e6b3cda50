package io.cartrecovery.events;

import static io.cartrecovery.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.cartrecovery.testing.CanonicalParser;
import io.cartrecovery.testing.Events;
import io.cartrecovery.testing.Schemas;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps the published clickstream contract (schemas/clickstream-event.schema.json and
 * docs/clickstream.md) in agreement with {@link ClickEventJson}, which is what the pipeline
 * actually enforces.
 */
class ClickstreamSchemaTest {
    private static final String SCHEMA_FILE = "clickstream-event.schema.json";

    /**
     * The clock stands a day after T0 so the documented example (dated around T0) is neither in the
     * future nor too old; the default limits match production.
     */
    private static final CanonicalParser PARSER =
            new CanonicalParser(
                    64 * 1024,
                    Duration.ofHours(1),
                    InstantSource.fixed(T0.plus(Duration.ofDays(1))));

    private static JsonNode schemaTree;
    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        Path file = Schemas.dir().resolve(SCHEMA_FILE);
        schemaTree = ClickEventJson.MAPPER.readTree(file.toFile());
        try (InputStream in = Files.newInputStream(file)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void writtenEventsOfEveryTypeValidate(EventType type) throws Exception {
        byte[] json = ClickEventJson.toJson(representative(type));

        Schemas.assertValid(SCHEMA_FILE, ClickEventJson.MAPPER.readTree(json));
        assertThat(PARSER.parse(json).type()).isEqualTo(type);
    }

    @Test
    void schemaListsExactlyTheParsersEventTypes() {
        Set<String> inSchema = new HashSet<>();
        schemaTree.at("/properties/type/enum").forEach(name -> inSchema.add(name.asText()));

        assertThat(inSchema)
                .containsExactlyInAnyOrderElementsOf(
                        Arrays.stream(EventType.values()).map(EventType::wireName).toList());
    }

    /**
     * Unknown fields are allowed, so validation alone would not notice a field the writer added
     * without documenting it.
     */
    @Test
    void schemaDeclaresEveryFieldTheWriterWrites() throws Exception {
        ClickEvent full =
                withContact(
                        Events.event(EventType.SHIPPING_INFO)
                                .cart("c-1")
                                .visitor("v-1")
                                .customer("42")
                                .session("s-1")
                                .item("p1", 1, "9.99")
                                .shipping("4.90")
                                .orderId("o-1")
                                .error("address_invalid")
                                .build());
        JsonNode written = ClickEventJson.MAPPER.readTree(ClickEventJson.toJson(full));

        assertThat(fieldNames(written)).isSubsetOf(fieldNames(schemaTree.at("/properties")));
        assertThat(fieldNames(written.get("items").get(0)))
                .isSubsetOf(fieldNames(schemaTree.at("/properties/items/items/properties")));
        assertThat(fieldNames(written.get("traits")))
                .isSubsetOf(fieldNames(schemaTree.at("/properties/traits/properties")));
    }

    @Test
    void documentedExampleParsesAndValidates() throws Exception {
        List<String> lines = exampleLines();
        assertThat(lines).as("```jsonl lines in docs/clickstream.md").isNotEmpty();

        for (String line : lines) {
            ClickEvent event;
            try {
                event = PARSER.parse(line.getBytes(StandardCharsets.UTF_8));
            } catch (InvalidEventException e) {
                throw new AssertionError("docs example rejected (" + e.getMessage() + "): " + line);
            }
            Schemas.assertValid(SCHEMA_FILE, ClickEventJson.MAPPER.readTree(line));
            Schemas.assertValid(
                    SCHEMA_FILE, ClickEventJson.MAPPER.readTree(ClickEventJson.toJson(event)));
        }
    }

    @Test
    void docsNameEveryFieldAndType() throws IOException {
        String docs = Files.readString(docsFile());

        assertThat(docs).contains("schemas/" + SCHEMA_FILE);
        for (String field : fieldNames(schemaTree.at("/properties"))) {
            assertThat(docs).as("field " + field).contains("| `" + field + "` |");
        }
        for (EventType type : EventType.values()) {
            assertThat(docs).as("type " + type).contains("| `" + type.wireName() + "` |");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEvents")
    void invalidEventsAreRejectedBySchemaAndParser(String name, String json, String reason)
            throws Exception {
        Set<ValidationMessage> errors = schema.validate(ClickEventJson.MAPPER.readTree(json));

        assertThat(errors).as("schema errors for " + json).isNotEmpty();
        assertThatThrownBy(() -> PARSER.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith(reason);
    }

    /** The limits of docs/limits.md that a schema can state, at and past each limit. */
    @Test
    void theSchemaStatesTheIngestLimits() throws Exception {
        String event =
                "{'event_id':'%s','type':'add_to_cart','store_id':'s','customer_id':'c',"
                        + "'event_time':'2026-11-26T10:00:00Z','currency':'EUR','items':[%s]}";
        String line = "{'product_id':'p','name':'%s','quantity':%d,'price':%s}";
        String ok = line.formatted("n".repeat(500), 1_000_000, "99999999999999.9999");
        assertThat(schema.validate(json(event.formatted("e".repeat(200), ok)))).isEmpty();
        for (String bad :
                List.of(
                        event.formatted("e".repeat(201), ok),
                        event.formatted("e", line.formatted("n".repeat(501), 1, "1")),
                        event.formatted("e", line.formatted("n", 1_000_001, "1")),
                        event.formatted("e", line.formatted("n", 1, "100000000000000")),
                        event.formatted(
                                "e",
                                String.join(
                                        ",",
                                        Collections.nCopies(1001, line.formatted("n", 1, "1")))))) {
            assertThat(schema.validate(json(bad))).as(bad.substring(0, 120)).isNotEmpty();
        }
    }

    private static JsonNode json(String singleQuoted) throws IOException {
        return ClickEventJson.MAPPER.readTree(singleQuoted.replace('\'', '"'));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lenientEvents")
    void lenientFormsAreAcceptedBySchemaAndParser(String name, String json) throws Exception {
        Schemas.assertValid(SCHEMA_FILE, ClickEventJson.MAPPER.readTree(json));
        PARSER.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> invalidEvents() {
        return Stream.of(
                invalid(
                        "missing type",
                        "{'event_id':'e','store_id':'s','customer_id':'c','event_time':'2026-11-26T10:00:00Z'}",
                        "missing type"),
                invalid(
                        "unknown type",
                        "{'event_id':'e','type':'scroll','store_id':'s','customer_id':'c','event_time':'2026-11-26T10:00:00Z'}",
                        "unknown type 'scroll'"),
                invalid(
                        "no ids",
                        "{'event_id':'e','type':'page_view','store_id':'s','event_time':'2026-11-26T10:00:00Z'}",
                        "missing cart_id, customer_id and anonymous_id"),
                invalid(
                        "only blank or null ids",
                        "{'event_id':'e','type':'page_view','store_id':'s','cart_id':' ','customer_id':null,'event_time':'2026-11-26T10:00:00Z'}",
                        "missing cart_id, customer_id and anonymous_id"),
                invalid(
                        "negative quantity",
                        "{'event_id':'e','type':'add_to_cart','store_id':'s','customer_id':'c','event_time':'2026-11-26T10:00:00Z','items':[{'product_id':'p','quantity':-2}]}",
                        "negative items[0].quantity (-2)"),
                invalid(
                        "fractional quantity",
                        "{'event_id':'e','type':'add_to_cart','store_id':'s','customer_id':'c','event_time':'2026-11-26T10:00:00Z','items':[{'product_id':'p','quantity':1.5}]}",
                        "items[0].quantity must be a whole number"),
                invalid(
                        "blank event_id",
                        "{'event_id':'  ','type':'page_view','store_id':'s','customer_id':'c','event_time':'2026-11-26T10:00:00Z'}",
                        "missing event_id"),
                invalid(
                        "add_to_cart without items",
                        "{'event_id':'e','type':'add_to_cart','store_id':'s','customer_id':'c','event_time':'2026-11-26T10:00:00Z','items':[]}",
                        "add_to_cart needs at least one item"),
                invalid(
                        "item without product_id",
                        "{'event_id':'e','type':'remove_from_cart','store_id':'s','customer_id':'c','event_time':'2026-11-26T10:00:00Z','items':[{'quantity':1}]}",
                        "missing items[0].product_id"),
                invalid(
                        "time without offset",
                        "{'event_id':'e','type':'page_view','store_id':'s','customer_id':'c','event_time':'2026-11-26T10:00:00'}",
                        "event_time '2026-11-26T10:00:00' is not ISO-8601 with an offset"),
                invalid(
                        "epoch seconds instead of millis",
                        "{'event_id':'e','type':'page_view','store_id':'s','customer_id':'c','event_time':1795687200}",
                        "absurd event_time 1970-01-21T"),
                invalid(
                        "price without currency",
                        "{'event_id':'e','type':'add_to_cart','store_id':'s','customer_id':'c','event_time':'2026-11-26T10:00:00Z','items':[{'product_id':'p','price':'9.99'}]}",
                        "missing currency: the event carries amounts"),
                invalid(
                        "shipping cost without currency",
                        "{'event_id':'e','type':'shipping_info','store_id':'s','customer_id':'c','event_time':'2026-11-26T10:00:00Z','shipping_cost':4.9}",
                        "missing currency: the event carries amounts"),
                invalid(
                        "lower-case currency",
                        "{'event_id':'e','type':'add_to_cart','store_id':'s','customer_id':'c','event_time':'2026-11-26T10:00:00Z','currency':'eur','items':[{'product_id':'p','price':1}]}",
                        "currency 'eur' is not an ISO 4217 code like EUR"),
                invalid(
                        "negative price",
                        "{'event_id':'e','type':'add_to_cart','store_id':'s','customer_id':'c','event_time':'2026-11-26T10:00:00Z','currency':'EUR','items':[{'product_id':'p','price':'-1.00'}]}",
                        "negative items[0].price (-1.00)"),
                invalid(
                        "price not a number",
                        "{'event_id':'e','type':'add_to_cart','store_id':'s','customer_id':'c','event_time':'2026-11-26T10:00:00Z','currency':'EUR','items':[{'product_id':'p','price':'9,99'}]}",
                        "items[0].price '9,99' is not a number"),
                invalid(
                        "traits not an object",
                        "{'event_id':'e','type':'identify','store_id':'s','customer_id':'c','event_time':'2026-11-26T10:00:00Z','traits':'jane@example.com'}",
                        "traits must be an object"),
                invalid(
                        "id that is an object",
                        "{'event_id':{'a':1},'type':'page_view','store_id':'s','customer_id':'c','event_time':'2026-11-26T10:00:00Z'}",
                        "event_id must be a string"));
    }

    static Stream<Arguments> lenientEvents() {
        return Stream.of(
                lenient(
                        "numeric ids and epoch millis",
                        "{'event_id':17,'type':'page_view','store_id':3,'anonymous_id':99,'event_time':1795687200000}"),
                lenient(
                        "unknown fields",
                        "{'event_id':'e','type':'page_view','store_id':'s','customer_id':'c','event_time':'2026-11-26T10:00:00Z','page_url':'/shoes','utm':{'source':'mail'}}"),
                lenient(
                        "nulls and blanks for optional fields",
                        "{'event_id':'e','type':'cart_view','store_id':'s','cart_id':'','customer_id':'c','session_id':null,'currency':null,'items':null,'shipping_cost':null,'traits':null,'event_time':'2026-11-26T10:00:00Z'}"),
                lenient(
                        "quantity default, unpriced line, numeric price",
                        "{'event_id':'e','type':'add_to_cart','store_id':'s','customer_id':'c','event_time':'2026-11-26T10:00:00Z','currency':'EUR','items':[{'product_id':'p1'},{'product_id':'p2','quantity':0,'price':12.5}]}"),
                lenient(
                        "time without seconds, hour offset",
                        "{'event_id':'e','type':'page_view','store_id':'s','customer_id':'c','event_time':'2026-11-26T11:00+01'}"),
                lenient(
                        "nanosecond time",
                        "{'event_id':'e','type':'page_view','store_id':'s','customer_id':'c','event_time':'2026-11-26T10:00:00.123456789-05:00'}"),
                lenient(
                        "traits on identify",
                        "{'event_id':'e','type':'identify','store_id':'s','anonymous_id':'v','customer_id':'c','event_time':'2026-11-26T10:00:00Z','traits':{'email':'jane@example.com'}}"));
    }

    private static Arguments invalid(String name, String json, String reason) {
        return Arguments.of(name, quoted(json), reason);
    }

    private static Arguments lenient(String name, String json) {
        return Arguments.of(name, quoted(json));
    }

    /** Single quotes keep the cases readable; none of them needs a literal apostrophe. */
    private static String quoted(String json) {
        return json.replace('\'', '"');
    }

    /** One event of the given type as a store would send it, with the fields that type uses. */
    private static ClickEvent representative(EventType type) {
        return switch (type) {
            case PAGE_VIEW, PRODUCT_VIEW ->
                    Events.event(type).visitor("v-1").session("s-1").build();
            case ADD_TO_CART -> Events.add("p1", 2, "19.99").cart("c-1").build();
            case REMOVE_FROM_CART -> Events.remove("p1", 1).cart("c-1").build();
            case CART_VIEW, CHECKOUT_START, PAYMENT_INFO ->
                    Events.event(type).item("p1", 2, "19.99").item("p2", 0, null).build();
            case CHECKOUT_ERROR -> Events.event(type).error("address_invalid").build();
            case SHIPPING_INFO ->
                    Events.event(type).item("p1", 1, "19.99").shipping("4.90").build();
            case PAYMENT_FAILED -> Events.event(type).error("card_declined").build();
            case PURCHASE -> Events.purchase().build();
            case IDENTIFY -> withContact(Events.event(type).visitor("v-1").customer("42").build());
        };
    }

    /** The Events builder has no traits; identify events get them here. */
    private static ClickEvent withContact(ClickEvent e) {
        return new ClickEvent(
                e.eventId(),
                e.type(),
                e.storeId(),
                e.eventTime(),
                e.cartId(),
                e.customerId(),
                e.anonymousId(),
                e.sessionId(),
                e.currency(),
                e.items(),
                e.shippingCost(),
                e.orderId(),
                e.errorCode(),
                new ContactDetails("Jane Example", "jane@example.com", "+4930123456"));
    }

    private static Set<String> fieldNames(JsonNode object) {
        assertThat(object.isObject()).as("object: " + object).isTrue();
        Set<String> names = new HashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * The lines of the ```jsonl blocks: only the worked example uses that marker, so other JSON
     * snippets in the page may be partial without breaking this test.
     */
    private static List<String> exampleLines() throws IOException {
        List<String> lines = new ArrayList<>();
        boolean inBlock = false;
        for (String line : Files.readAllLines(docsFile(), StandardCharsets.UTF_8)) {
            String trimmed = line.strip();
            if (!inBlock && trimmed.equals("```jsonl")) {
                inBlock = true;
            } else if (inBlock && trimmed.startsWith("```")) {
                inBlock = false;
            } else if (inBlock && !trimmed.isEmpty()) {
                lines.add(trimmed);
            }
        }
        if (inBlock) {
            fail("unclosed ```jsonl block in docs/clickstream.md");
        }
        return lines;
    }

    /** Found like {@link Schemas#dir()}: upwards from the module directory Maven runs tests in. */
    private static Path docsFile() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path file = p.resolve("docs").resolve("clickstream.md");
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new IllegalStateException("no docs/clickstream.md above " + here);
    }
}

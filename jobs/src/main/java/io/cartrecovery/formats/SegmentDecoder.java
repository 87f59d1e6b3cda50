package io.cartrecovery.formats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.ContactDetails;
import io.cartrecovery.events.EventType;
import io.cartrecovery.events.InvalidEventException;
import io.cartrecovery.events.Timestamps;
import java.math.BigDecimal;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Segment calls (track, page, screen, identify) carrying the V2 Ecommerce events, one canonical
 * event per call; docs/formats/segment.md is the mapping. Reasons name Segment's own fields, e.g.
 * {@code properties.products[1].price is not a number ('abc')}.
 */
public final class SegmentDecoder implements JsonRecordDecoder {
    private static final long serialVersionUID = 1L;

    private static final Set<String> CALL_TYPES =
            Set.of("track", "identify", "page", "screen", "group", "alias");

    /** Segment's timestamps, best first: {@code timestamp} is corrected for device clock skew. */
    private static final List<String> TIME_FIELDS =
            List.of("timestamp", "originalTimestamp", "sentAt");

    private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");

    /**
     * Quantities may be written with a zero fraction ({@code 2.0}): some trackers write every
     * number that way. A string is not one.
     */
    private static final JsonFields.WholeNumbers WHOLE_NUMBERS =
            JsonFields.WholeNumbers.NUMBER_WITHOUT_FRACTION;

    private static final Pattern SEPARATORS = Pattern.compile("[\\s_]+");

    /** The track events the pipeline uses, by {@link #normalized} name. */
    private enum Tracked {
        PRODUCT_VIEWED,
        PRODUCT_ADDED,
        PRODUCT_REMOVED,
        CART_VIEWED,
        CHECKOUT_STARTED,
        CHECKOUT_STEP_VIEWED,
        CHECKOUT_STEP_COMPLETED,
        PAYMENT_INFO_ENTERED,
        ORDER_COMPLETED
    }

    private static final Map<String, Tracked> TRACKED =
            Map.of(
                    "product viewed", Tracked.PRODUCT_VIEWED,
                    "product added", Tracked.PRODUCT_ADDED,
                    "product removed", Tracked.PRODUCT_REMOVED,
                    "cart viewed", Tracked.CART_VIEWED,
                    "checkout started", Tracked.CHECKOUT_STARTED,
                    "checkout step viewed", Tracked.CHECKOUT_STEP_VIEWED,
                    "checkout step completed", Tracked.CHECKOUT_STEP_COMPLETED,
                    "payment info entered", Tracked.PAYMENT_INFO_ENTERED,
                    "order completed", Tracked.ORDER_COMPLETED);

    private final String defaultStoreId;

    public SegmentDecoder(String defaultStoreId) {
        this.defaultStoreId = defaultStoreId;
    }

    /**
     * Whether a JSON record is a Segment call (for format detection): one of Segment's call types,
     * or a {@code messageId}, which every Segment call has.
     */
    static boolean looksLike(JsonNode record) {
        // "identify" is a canonical type too: a record naming its own event_id is canonical,
        // a Segment call never has that field.
        if (record.has("event_id")) {
            return false;
        }
        JsonNode type = record.get("type");
        if (type != null && type.isTextual()) {
            if (CALL_TYPES.contains(type.asText())) {
                return true;
            }
            // A canonical event names its own type; an extra messageId field must not make it a
            // Segment call.
            if (EventType.fromWireName(type.asText()).isPresent()) {
                return false;
            }
        }
        return record.has("messageId");
    }

    @Override
    public void decode(JsonNode record, DecodeOutput out) throws InvalidEventException {
        String type = JsonFields.requiredText(record.get("type"), "type");
        switch (type) {
            case "track" -> track(record, out);
            // A screen is the page view of a mobile app.
            case "page", "screen" ->
                    out.event(call(record, properties(record)).activity(EventType.PAGE_VIEW));
            case "identify" -> out.event(identify(record));
            case "group", "alias" -> out.skipped(type);
            default ->
                    throw new InvalidEventException(
                            "type "
                                    + JsonFields.shown(record.get("type"))
                                    + " is not a Segment call type (track, identify, page, screen,"
                                    + " group, alias)");
        }
    }

    private void track(JsonNode record, DecodeOutput out) throws InvalidEventException {
        String name = JsonFields.requiredText(record.get("event"), "event");
        Tracked tracked = TRACKED.get(normalized(name));
        if (tracked == null) {
            // The pipeline never reads these calls, so it does not check them either.
            out.skipped(name);
            return;
        }
        JsonNode properties = properties(record);
        Call call = call(record, properties);
        out.event(
                switch (tracked) {
                    // The viewed product says nothing about the cart; leaving it unread means a
                    // malformed one cannot cost the activity.
                    case PRODUCT_VIEWED -> call.activity(EventType.PRODUCT_VIEW);
                    case PRODUCT_ADDED -> lineEvent(call, EventType.ADD_TO_CART, properties);
                    case PRODUCT_REMOVED -> lineEvent(call, EventType.REMOVE_FROM_CART, properties);
                    case CART_VIEWED -> cartEvent(call, EventType.CART_VIEW, properties);
                    case CHECKOUT_STARTED, CHECKOUT_STEP_VIEWED ->
                            cartEvent(call, EventType.CHECKOUT_START, properties);
                    case CHECKOUT_STEP_COMPLETED ->
                            cartEvent(
                                    call,
                                    settlesShipping(properties)
                                            ? EventType.SHIPPING_INFO
                                            : EventType.CHECKOUT_START,
                                    properties);
                    case PAYMENT_INFO_ENTERED ->
                            cartEvent(call, EventType.PAYMENT_INFO, properties);
                    // Only the order id: amounts and products on a purchase are unused, and a
                    // purchase dead-lettered over them would leave its cart to be called.
                    case ORDER_COMPLETED ->
                            call.event(
                                    EventType.PURCHASE,
                                    null,
                                    List.of(),
                                    null,
                                    JsonFields.text(
                                            properties.get("order_id"), "properties.order_id"),
                                    null);
                });
    }

    /** Product Added / Removed: the call's properties are the one product. */
    private static ClickEvent lineEvent(Call call, EventType type, JsonNode properties)
            throws InvalidEventException {
        return call.event(
                type,
                currency(properties),
                List.of(line(properties, "properties")),
                null,
                null,
                null);
    }

    /** A cart-stage event: products[], when sent, are the whole cart (a snapshot). */
    private static ClickEvent cartEvent(Call call, EventType type, JsonNode properties)
            throws InvalidEventException {
        return call.event(
                type,
                currency(properties),
                products(properties),
                JsonFields.amount(properties.get("shipping"), "properties.shipping"),
                null,
                null);
    }

    /** A completed checkout step that names a shipping method or cost settled the shipping. */
    private static boolean settlesShipping(JsonNode properties) throws InvalidEventException {
        String method =
                JsonFields.text(properties.get("shipping_method"), "properties.shipping_method");
        return method != null
                || JsonFields.amount(properties.get("shipping"), "properties.shipping") != null;
    }

    private ClickEvent identify(JsonNode record) throws InvalidEventException {
        // Identify calls have traits, not properties; a store_id there is still honoured.
        Call call = call(record, properties(record));
        JsonNode traits = record.get("traits");
        ContactDetails contact = null;
        if (traits != null && !traits.isNull()) {
            if (!traits.isObject()) {
                throw new InvalidEventException("traits must be an object");
            }
            contact = contact(traits);
        }
        return call.event(EventType.IDENTIFY, null, List.of(), null, null, contact);
    }

    /** Reserved traits; Segment accepts them in camelCase or snake_case. */
    private static ContactDetails contact(JsonNode traits) throws InvalidEventException {
        String name = trait(traits, "name", "name");
        if (name == null) {
            String first = trait(traits, "firstName", "first_name");
            String last = trait(traits, "lastName", "last_name");
            name = first == null ? last : last == null ? first : first + " " + last;
        }
        String email = trait(traits, "email", "email");
        String phone = trait(traits, "phone", "phone");
        if (name == null && email == null && phone == null) {
            return null;
        }
        return new ContactDetails(name, email, phone);
    }

    /** Reasons name a trait, never its value ("traits.email must be a string"). */
    private static String trait(JsonNode traits, String camel, String snake)
            throws InvalidEventException {
        String value = JsonFields.text(traits.get(camel), "traits." + camel);
        return value != null ? value : JsonFields.text(traits.get(snake), "traits." + snake);
    }

    /** What every mapped call has: the Spec's common fields, store and cart. */
    private Call call(JsonNode record, JsonNode properties) throws InvalidEventException {
        String messageId = JsonFields.requiredText(record.get("messageId"), "messageId");
        String userId = JsonFields.text(record.get("userId"), "userId");
        String anonymousId = JsonFields.text(record.get("anonymousId"), "anonymousId");
        if (userId == null && anonymousId == null) {
            throw new InvalidEventException(
                    "missing userId and anonymousId: a Segment call has one of them");
        }
        long time = eventTime(record);
        String storeId =
                Stores.resolve(
                        JsonFields.text(properties.get("store_id"), "properties.store_id"),
                        defaultStoreId,
                        "properties.store_id");
        String cartId = JsonFields.text(properties.get("cart_id"), "properties.cart_id");
        return new Call(messageId, storeId, time, cartId, userId, anonymousId);
    }

    private record Call(
            String messageId,
            String storeId,
            long time,
            String cartId,
            String userId,
            String anonymousId) {

        ClickEvent event(
                EventType type,
                String currency,
                List<CartLine> items,
                BigDecimal shippingCost,
                String orderId,
                ContactDetails contact) {
            return new ClickEvent(
                    messageId,
                    type,
                    storeId,
                    time,
                    cartId,
                    userId,
                    anonymousId,
                    null,
                    currency,
                    items,
                    shippingCost,
                    orderId,
                    null,
                    contact);
        }

        ClickEvent activity(EventType type) {
            return event(type, null, List.of(), null, null, null);
        }
    }

    private static long eventTime(JsonNode record) throws InvalidEventException {
        for (String field : TIME_FIELDS) {
            JsonNode node = record.get(field);
            if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
                continue;
            }
            if (!node.isTextual()) {
                throw new InvalidEventException(field + " must be an ISO-8601 string");
            }
            try {
                return Timestamps.epochMillis(node.asText().strip());
            } catch (DateTimeParseException e) {
                throw new InvalidEventException(
                        field
                                + " "
                                + JsonFields.shown(node)
                                + " is not ISO-8601 with an offset (e.g. 2026-11-26T10:15:30Z)");
            }
        }
        throw new InvalidEventException("missing timestamp (and originalTimestamp, sentAt)");
    }

    private static JsonNode properties(JsonNode record) throws InvalidEventException {
        JsonNode properties = record.get("properties");
        if (properties == null || properties.isNull()) {
            return MissingNode.getInstance();
        }
        if (!properties.isObject()) {
            throw new InvalidEventException("properties must be an object");
        }
        return properties;
    }

    private static String currency(JsonNode properties) throws InvalidEventException {
        String code = JsonFields.text(properties.get("currency"), "properties.currency");
        if (code == null) {
            return null;
        }
        if (!CURRENCY.matcher(code).matches()) {
            throw new InvalidEventException(
                    "properties.currency "
                            + JsonFields.shown(properties.get("currency"))
                            + " is not an ISO 4217 code like EUR");
        }
        // The spec's own examples write 'usd'.
        return code.toUpperCase(Locale.ROOT);
    }

    private static List<CartLine> products(JsonNode properties) throws InvalidEventException {
        JsonNode products = properties.get("products");
        if (products == null || products.isNull()) {
            return List.of();
        }
        if (!products.isArray()) {
            throw new InvalidEventException("properties.products must be an array");
        }
        List<CartLine> lines = new ArrayList<>(products.size());
        for (int i = 0; i < products.size(); i++) {
            String at = "properties.products[" + i + "]";
            if (!products.get(i).isObject()) {
                throw new InvalidEventException(at + " must be an object");
            }
            lines.add(line(products.get(i), at));
        }
        return List.copyOf(lines);
    }

    /** A Segment product: {@code product_id}, else {@code sku} (the spec allows them to differ). */
    private static CartLine line(JsonNode product, String at) throws InvalidEventException {
        String productId = JsonFields.text(product.get("product_id"), at + ".product_id");
        if (productId == null) {
            productId = JsonFields.text(product.get("sku"), at + ".sku");
        }
        if (productId == null) {
            throw new InvalidEventException(
                    "missing " + at + ".product_id and " + at + ".sku: one names the product");
        }
        return new CartLine(
                productId,
                JsonFields.text(product.get("name"), at + ".name"),
                JsonFields.quantity(product.get("quantity"), at + ".quantity", WHOLE_NUMBERS),
                JsonFields.amount(product.get("price"), at + ".price"));
    }

    /**
     * Event names match ignoring case, with {@code _} as a space: order_completed is Order
     * Completed.
     */
    private static String normalized(String eventName) {
        return SEPARATORS.matcher(eventName.strip().toLowerCase(Locale.ROOT)).replaceAll(" ");
    }
}

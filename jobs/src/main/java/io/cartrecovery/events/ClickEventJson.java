package io.cartrecovery.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrecovery.formats.JsonFields;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the canonical clickstream JSON (docs/clickstream.md,
 * schemas/clickstream-event.schema.json). Reading checks the JSON shape and the canonical format's
 * own rules; {@link EventValidator} checks what every format must satisfy.
 */
public final class ClickEventJson {
    private ClickEventJson() {}

    /** The project's one JSON configuration: exact decimals, strict reading. */
    public static final JsonMapper MAPPER =
            JsonMapper.builder()
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    // Money stays exact both ways: "59.90" keeps its scale and never turns into
                    // 5.99E+1.
                    .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                    .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                    .build();

    // Fields are read as in every format (JsonFields): ids as strings or whole numbers, blank as
    // absent, amounts exactly. Only these reasons are worded the canonical way, as
    // docs/clickstream.md lists them for stores to match on.
    private static final JsonFields.Reason NOT_A_NUMBER =
            (field, value) ->
                    value.isTextual()
                            ? field + " '" + value.asText() + "' is not a number"
                            : field + " must be a number";
    private static final JsonFields.Reason NOT_A_WHOLE_NUMBER =
            (field, value) -> field + " must be a whole number";

    /** Parses a JSON object, or says in one line why the bytes are not one. */
    public static JsonNode readObject(byte[] payload) throws InvalidEventException {
        JsonNode root;
        try {
            root = MAPPER.readTree(payload);
        } catch (Exception e) {
            throw new InvalidEventException("malformed JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidEventException("malformed JSON: not an object");
        }
        return root;
    }

    /** Maps a canonical event; the result still goes through {@link EventValidator}. */
    public static ClickEvent read(JsonNode root) throws InvalidEventException {
        String typeName = requiredText(root, "type");
        EventType type =
                EventType.fromWireName(typeName)
                        .orElseThrow(
                                () -> new InvalidEventException("unknown type '" + typeName + "'"));
        String eventId = requiredText(root, "event_id");
        String storeId = requiredText(root, "store_id");
        long eventTime = eventTime(root.get("event_time"));
        List<CartLine> items = items(root.get("items"));
        BigDecimal shippingCost = amount(root.get("shipping_cost"), "shipping_cost");
        String currency = optionalText(root, "currency");
        boolean hasAmounts =
                shippingCost != null || items.stream().anyMatch(l -> l.unitPrice() != null);
        if (currency == null && hasAmounts) {
            throw new InvalidEventException("missing currency: the event carries amounts");
        }
        return new ClickEvent(
                eventId,
                type,
                storeId,
                eventTime,
                optionalText(root, "cart_id"),
                optionalText(root, "customer_id"),
                optionalText(root, "anonymous_id"),
                optionalText(root, "session_id"),
                currency,
                items,
                shippingCost,
                optionalText(root, "order_id"),
                optionalText(root, "error"),
                contact(root.get("traits")));
    }

    private static long eventTime(JsonNode node) throws InvalidEventException {
        if (node == null || node.isNull()) {
            throw new InvalidEventException("missing event_time");
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isTextual()) {
            try {
                return Timestamps.epochMillis(node.asText());
            } catch (DateTimeParseException e) {
                throw new InvalidEventException(
                        "event_time '"
                                + node.asText()
                                + "' is not ISO-8601 with an offset (e.g. 2026-11-26T10:15:30Z)");
            }
        }
        throw new InvalidEventException(
                "event_time must be an ISO-8601 string or epoch milliseconds");
    }

    private static List<CartLine> items(JsonNode node) throws InvalidEventException {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidEventException("items must be an array");
        }
        List<CartLine> lines = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String at = "items[" + i + "]";
            if (!item.isObject()) {
                throw new InvalidEventException(at + " must be an object");
            }
            String productId = JsonFields.text(item.get("product_id"), at + ".product_id");
            int quantity = quantity(item.get("quantity"), at + ".quantity");
            BigDecimal price = amount(item.get("price"), at + ".price");
            lines.add(
                    new CartLine(
                            productId,
                            JsonFields.text(item.get("name"), at + ".name"),
                            quantity,
                            price));
        }
        return List.copyOf(lines);
    }

    private static ContactDetails contact(JsonNode traits) throws InvalidEventException {
        if (traits == null || traits.isNull()) {
            return null;
        }
        if (!traits.isObject()) {
            throw new InvalidEventException("traits must be an object");
        }
        return new ContactDetails(
                JsonFields.text(traits.get("name"), "traits.name"),
                JsonFields.text(traits.get("email"), "traits.email"),
                JsonFields.text(traits.get("phone"), "traits.phone"));
    }

    private static String requiredText(JsonNode root, String field) throws InvalidEventException {
        return JsonFields.requiredText(root.get(field), field);
    }

    private static String optionalText(JsonNode root, String field) throws InvalidEventException {
        return JsonFields.text(root.get(field), field);
    }

    /**
     * Amounts may be JSON numbers or decimal strings; both are read exactly. Negative ones are
     * {@link EventValidator}'s to reject.
     */
    private static BigDecimal amount(JsonNode node, String field) throws InvalidEventException {
        return JsonFields.decimal(node, field, NOT_A_NUMBER);
    }

    /** A JSON integer, 1 when absent. Negative ones are {@link EventValidator}'s to reject. */
    private static int quantity(JsonNode node, String field) throws InvalidEventException {
        Long quantity =
                JsonFields.wholeNumber(
                        node, field, JsonFields.WholeNumbers.INTEGER, NOT_A_WHOLE_NUMBER);
        if (quantity == null) {
            return 1;
        }
        if (quantity.intValue() != quantity) {
            throw new InvalidEventException(NOT_A_WHOLE_NUMBER.of(field, node));
        }
        return quantity.intValue();
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** Writes an event in the canonical format; {@link #parse} reads it back unchanged. */
    public static byte[] toJson(ClickEvent event) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("event_id", event.eventId());
        node.put("type", event.type().wireName());
        node.put("store_id", event.storeId());
        node.put("event_time", Instant.ofEpochMilli(event.eventTime()).toString());
        putIfPresent(node, "cart_id", event.cartId());
        putIfPresent(node, "customer_id", event.customerId());
        putIfPresent(node, "anonymous_id", event.anonymousId());
        putIfPresent(node, "session_id", event.sessionId());
        putIfPresent(node, "currency", event.currency());
        if (!event.items().isEmpty()) {
            ArrayNode items = node.putArray("items");
            for (CartLine line : event.items()) {
                ObjectNode item = items.addObject();
                item.put("product_id", line.productId());
                putIfPresent(item, "name", line.name());
                item.put("quantity", line.quantity());
                if (line.unitPrice() != null) {
                    item.put("price", line.unitPrice());
                }
            }
        }
        if (event.shippingCost() != null) {
            node.put("shipping_cost", event.shippingCost());
        }
        putIfPresent(node, "order_id", event.orderId());
        putIfPresent(node, "error", event.errorCode());
        if (event.contact() != null) {
            ObjectNode traits = node.putObject("traits");
            putIfPresent(traits, "name", event.contact().name());
            putIfPresent(traits, "email", event.contact().email());
            putIfPresent(traits, "phone", event.contact().phone());
        }
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an event tree", e);
        }
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}

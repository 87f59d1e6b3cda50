package io.cartrecovery.formats;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.EventType;
import io.cartrecovery.events.InvalidEventException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows of the Google Analytics 4 BigQuery export (events_YYYYMMDD) as JSON lines: one row, one
 * event, mapped to a canonical event (docs/formats/ga4.md).
 */
public final class Ga4BigQueryDecoder implements JsonRecordDecoder {
    private static final long serialVersionUID = 1L;

    private final String defaultStoreId;

    public Ga4BigQueryDecoder(String defaultStoreId) {
        this.defaultStoreId = defaultStoreId;
    }

    /** Whether a JSON record is of this format (for format detection). */
    static boolean looksLike(JsonNode record) {
        return record.has("event_name") && record.has("event_timestamp");
    }

    @Override
    public void decode(JsonNode record, DecodeOutput out) throws InvalidEventException {
        String name = Ga4Fields.requiredText(record.get("event_name"), "event_name");
        EventType type = Ga4Fields.EVENT_TYPES.get(name);
        if (type == null) {
            out.skipped(name);
            return;
        }
        Long micros = Ga4Fields.micros(record.get("event_timestamp"), "event_timestamp");
        if (micros == null) {
            throw new InvalidEventException("missing event_timestamp");
        }
        Map<String, Param> params = params(record.get("event_params"));
        List<CartLine> items = Ga4Fields.items(record.get("items"), "items");
        if (type.changesItems() && items.isEmpty()) {
            throw new InvalidEventException("missing items: " + name + " needs at least one item");
        }
        JsonNode ecommerce = record.path("ecommerce");
        if (!JsonFields.absent(ecommerce) && !ecommerce.isObject()) {
            throw new InvalidEventException(
                    "ecommerce must be an object, not " + JsonFields.shown(ecommerce));
        }
        BigDecimal shipping =
                JsonFields.amount(ecommerce.get("shipping_value"), "ecommerce.shipping_value");
        if (shipping == null) {
            shipping = amountParam(params, "shipping");
        }
        String anonymousId = Ga4Fields.text(record.get("user_pseudo_id"), "user_pseudo_id");
        // Rows have no id of their own. These columns tell two events of one device apart: the
        // upload bundle, and on web streams the page and the event's place in its batch.
        String eventId =
                EventIds.derive(
                        "ga4-bigquery",
                        anonymousId,
                        Long.toString(micros),
                        name,
                        whole(record, "event_bundle_sequence_id"),
                        whole(record, "batch_page_id"),
                        whole(record, "batch_ordering_id"),
                        whole(record, "batch_event_index"));
        out.event(
                new ClickEvent(
                        eventId,
                        type,
                        Stores.resolve(textParam(params, "store_id"), defaultStoreId, "store_id"),
                        micros / 1000,
                        textParam(params, "cart_id"),
                        Ga4Fields.text(record.get("user_id"), "user_id"),
                        anonymousId,
                        textParam(params, "ga_session_id"),
                        textParam(params, "currency"),
                        items,
                        shipping,
                        Ga4Fields.text(ecommerce.get("transaction_id"), "ecommerce.transaction_id"),
                        null,
                        null));
    }

    /** An id column as its number's text, so "42" and 42 give the same event id. */
    private static String whole(JsonNode record, String column) throws InvalidEventException {
        Long value = Ga4Fields.wholeNumber(record.get(column), column);
        return value == null ? null : value.toString();
    }

    /**
     * One event_params entry: its typed value record, and where it sits for reasons
     * (event_params[3].value).
     */
    private record Param(JsonNode value, String path) {}

    /** The event_params entries by key; the first of a repeated key counts. */
    private static Map<String, Param> params(JsonNode node) throws InvalidEventException {
        if (JsonFields.absent(node)) {
            return Map.of();
        }
        if (!node.isArray()) {
            throw new InvalidEventException(
                    "event_params must be an array, not " + JsonFields.shown(node));
        }
        Map<String, Param> params = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode entry = node.get(i);
            String at = "event_params[" + i + "]";
            if (!entry.isObject()) {
                throw new InvalidEventException(
                        at + " must be an object, not " + JsonFields.shown(entry));
            }
            String key = Ga4Fields.requiredText(entry.get("key"), at + ".key");
            JsonNode value = entry.get("value");
            if (!JsonFields.absent(value) && !value.isObject()) {
                throw new InvalidEventException(
                        at + ".value must be an object, not " + JsonFields.shown(value));
            }
            params.putIfAbsent(key, new Param(value, at + ".value"));
        }
        return params;
    }

    /**
     * The typed field that is set: GA4 fills exactly one of string_value, int_value, float_value
     * and double_value, by the type the parameter was sent with.
     */
    private static String typedField(Param param) {
        if (JsonFields.absent(param.value())) {
            return null;
        }
        for (String field : List.of("string_value", "int_value", "float_value", "double_value")) {
            if (!JsonFields.absent(param.value().get(field))) {
                return field;
            }
        }
        return null;
    }

    /** An id or code: string_value, or int_value (ga_session_id is one). */
    private static String textParam(Map<String, Param> params, String key)
            throws InvalidEventException {
        Param param = params.get(key);
        String field = param == null ? null : typedField(param);
        if (field == null) {
            return null;
        }
        String path = param.path() + "." + field;
        return switch (field) {
            case "string_value" -> Ga4Fields.text(param.value().get(field), path);
            case "int_value" -> Ga4Fields.wholeNumber(param.value().get(field), path).toString();
            default ->
                    throw new InvalidEventException(
                            path + " (" + key + ") must be a string_value or int_value");
        };
    }

    /** An amount from any typed field; float and double values are read from their JSON text. */
    private static BigDecimal amountParam(Map<String, Param> params, String key)
            throws InvalidEventException {
        Param param = params.get(key);
        String field = param == null ? null : typedField(param);
        if (field == null) {
            return null;
        }
        return JsonFields.amount(param.value().get(field), param.path() + "." + field);
    }
}

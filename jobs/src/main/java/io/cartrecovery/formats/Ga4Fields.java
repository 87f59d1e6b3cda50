package io.cartrecovery.formats;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.EventType;
import io.cartrecovery.events.InvalidEventException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the two GA4 shapes share: the event names the pipeline uses, the items array, and GA4's own
 * rules on top of {@link JsonFields}: "(not set)" is absent, whole numbers may be strings, and a
 * reason shows the value sent. Reasons name the GA4 field path (e.g. {@code
 * events[1].params.items[0].price}), so a store can find the broken field in what it sent.
 */
final class Ga4Fields {
    private Ga4Fields() {}

    /**
     * GA4 recommended e-commerce events and page_view, by GA4 name. Every other name (scroll,
     * session_start, view_item_list, login, ...) is skipped.
     */
    static final Map<String, EventType> EVENT_TYPES =
            Map.of(
                    "page_view", EventType.PAGE_VIEW,
                    "view_item", EventType.PRODUCT_VIEW,
                    "add_to_cart", EventType.ADD_TO_CART,
                    "remove_from_cart", EventType.REMOVE_FROM_CART,
                    "view_cart", EventType.CART_VIEW,
                    "begin_checkout", EventType.CHECKOUT_START,
                    "add_shipping_info", EventType.SHIPPING_INFO,
                    "add_payment_info", EventType.PAYMENT_INFO,
                    "purchase", EventType.PURCHASE);

    /** GA4's placeholder for a value that was not sent (e.g. BigQuery ecommerce.transaction_id). */
    private static final String NOT_SET = "(not set)";

    /** GA4 reasons show the value sent: "PATH must be a string, not an object". */
    private static final JsonFields.Reason NOT_A_STRING =
            (path, value) -> path + " must be a string, not " + JsonFields.shown(value);

    /**
     * An id or a name: a string, or a whole number (GA4 sends ids such as ga_session_id as
     * numbers). Blank and GA4's "(not set)" are absent.
     */
    static String text(JsonNode node, String path) throws InvalidEventException {
        String value = JsonFields.text(node, path, NOT_A_STRING);
        return NOT_SET.equals(value) ? null : value;
    }

    static String requiredText(JsonNode node, String path) throws InvalidEventException {
        return JsonFields.required(text(node, path), path);
    }

    /**
     * Whole numbers: JSON integers, or strings holding one (BigQuery writes INT64 columns as JSON
     * strings). {@code 2.0} is not one: quantities and timestamps never have fractions.
     */
    private static final JsonFields.WholeNumbers WHOLE_NUMBERS =
            JsonFields.WholeNumbers.INTEGER_OR_STRING;

    static Long wholeNumber(JsonNode node, String path) throws InvalidEventException {
        return JsonFields.wholeNumber(node, path, WHOLE_NUMBERS);
    }

    /** Epoch microseconds, GA4's time unit; never negative. */
    static Long micros(JsonNode node, String path) throws InvalidEventException {
        Long micros = wholeNumber(node, path);
        return micros == null ? null : JsonFields.notNegative(micros, path);
    }

    /**
     * The items array of both shapes: item_id, item_name, price (unit price), quantity (default 1,
     * as GA4 counts it).
     */
    static List<CartLine> items(JsonNode node, String path) throws InvalidEventException {
        if (JsonFields.absent(node)) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidEventException(
                    path + " must be an array, not " + JsonFields.shown(node));
        }
        List<CartLine> lines = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String at = path + "[" + i + "]";
            if (!item.isObject()) {
                throw new InvalidEventException(
                        at + " must be an object, not " + JsonFields.shown(item));
            }
            // GA4 accepts an item with only item_name; carts match lines by id, so one is needed.
            String productId = requiredText(item.get("item_id"), at + ".item_id");
            String name = text(item.get("item_name"), at + ".item_name");
            BigDecimal price = JsonFields.amount(item.get("price"), at + ".price");
            int quantity =
                    JsonFields.quantity(item.get("quantity"), at + ".quantity", WHOLE_NUMBERS);
            lines.add(new CartLine(productId, name, quantity, price));
        }
        return List.copyOf(lines);
    }
}

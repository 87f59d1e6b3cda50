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
 * What the two GA4 shapes share: the event names the pipeline uses, the items array, and readers
 * whose reasons name the GA4 field path (e.g. {@code events[1].params.items[0].price}), so a store
 * can find the broken field in what it sent.
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

    private static final int SHOWN_CHARS = 40;

    static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    /**
     * An id or a name: a string, or a whole number (GA4 sends ids such as ga_session_id as
     * numbers). Blank and GA4's "(not set)" are absent.
     */
    static String text(JsonNode node, String path) throws InvalidEventException {
        if (absent(node)) {
            return null;
        }
        if (node.isTextual()) {
            String value = node.asText().strip();
            return value.isEmpty() || value.equals(NOT_SET) ? null : value;
        }
        if (node.isIntegralNumber()) {
            return node.asText();
        }
        throw new InvalidEventException(path + " must be a string, not " + shown(node));
    }

    static String requiredText(JsonNode node, String path) throws InvalidEventException {
        String value = text(node, path);
        if (value == null) {
            throw new InvalidEventException("missing " + path);
        }
        return value;
    }

    /** Money, exact as written: a JSON number or a decimal string, never negative. */
    static BigDecimal amount(JsonNode node, String path) throws InvalidEventException {
        if (absent(node)) {
            return null;
        }
        BigDecimal value;
        if (node.isNumber()) {
            value = node.decimalValue();
        } else if (node.isTextual()) {
            try {
                value = new BigDecimal(node.asText().strip());
            } catch (NumberFormatException e) {
                throw new InvalidEventException(path + " is not a number (" + shown(node) + ")");
            }
        } else {
            throw new InvalidEventException(path + " is not a number (" + shown(node) + ")");
        }
        if (value.signum() < 0) {
            throw new InvalidEventException(path + " is negative (" + value.toPlainString() + ")");
        }
        return value;
    }

    /**
     * A whole number: a JSON integer, or a string holding one (BigQuery writes INT64 columns as
     * JSON strings). {@code 2.0} is not one: quantities and timestamps never have fractions.
     */
    static Long wholeNumber(JsonNode node, String path) throws InvalidEventException {
        if (absent(node)) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.asText().strip());
            } catch (NumberFormatException e) {
                // Reported below like any other non-integer.
            }
        }
        throw new InvalidEventException(path + " is not a whole number (" + shown(node) + ")");
    }

    /** Epoch microseconds, GA4's time unit; never negative. */
    static Long micros(JsonNode node, String path) throws InvalidEventException {
        Long micros = wholeNumber(node, path);
        if (micros == null) {
            return null;
        }
        if (micros < 0) {
            throw new InvalidEventException(path + " is negative (" + micros + ")");
        }
        return micros;
    }

    /**
     * The items array of both shapes: item_id, item_name, price (unit price), quantity (default 1,
     * as GA4 counts it).
     */
    static List<CartLine> items(JsonNode node, String path) throws InvalidEventException {
        if (absent(node)) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidEventException(path + " must be an array, not " + shown(node));
        }
        List<CartLine> lines = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String at = path + "[" + i + "]";
            if (!item.isObject()) {
                throw new InvalidEventException(at + " must be an object, not " + shown(item));
            }
            // GA4 accepts an item with only item_name; carts match lines by id, so one is needed.
            String productId = requiredText(item.get("item_id"), at + ".item_id");
            String name = text(item.get("item_name"), at + ".item_name");
            BigDecimal price = amount(item.get("price"), at + ".price");
            lines.add(new CartLine(productId, name, quantity(item.get("quantity"), at), price));
        }
        return List.copyOf(lines);
    }

    private static int quantity(JsonNode node, String item) throws InvalidEventException {
        String path = item + ".quantity";
        Long quantity = wholeNumber(node, path);
        if (quantity == null) {
            return 1;
        }
        if (quantity < 0) {
            throw new InvalidEventException(path + " is negative (" + quantity + ")");
        }
        if (quantity > Integer.MAX_VALUE) {
            throw new InvalidEventException(path + " is too large (" + quantity + ")");
        }
        return quantity.intValue();
    }

    /** A value for a one-line reason: strings quoted, long ones cut, control characters hidden. */
    static String shown(JsonNode node) {
        String text;
        if (node.isTextual()) {
            text = "'" + node.asText() + "'";
        } else if (node.isContainerNode()) {
            return node.isArray() ? "an array" : "an object";
        } else {
            text = node.asText();
        }
        text = text.replaceAll("\\p{Cntrl}", "?");
        return text.length() <= SHOWN_CHARS ? text : text.substring(0, SHOWN_CHARS) + "...";
    }
}

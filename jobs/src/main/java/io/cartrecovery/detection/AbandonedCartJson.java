package io.cartrecovery.detection;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.sinks.Json;

/** Writes abandoned-cart facts (schemas/abandoned-cart.schema.json). */
public final class AbandonedCartJson {
    private AbandonedCartJson() {}

    public static ObjectNode toJson(AbandonedCart cart) {
        ObjectNode node = ClickEventJson.MAPPER.createObjectNode();
        node.put("schema_version", 1);
        node.put("cart_id", cart.cartId());
        node.put("store_id", cart.storeId());
        putCart(node, cart);
        node.put("opened_at", Json.time(cart.openedAt()));
        node.put("gap_seconds", cart.gapMillis() / 1000);
        if (cart.contactDecision() != null) {
            node.put("contact_decision", cart.contactDecision());
            node.put("contactable", cart.contactable());
        }
        putSession(node, cart.session());
        return node;
    }

    private static void putSession(ObjectNode node, SessionStats session) {
        ObjectNode out = node.putObject("session");
        out.put("views", session.views());
        out.put("products_viewed", session.productsViewed());
        out.put("time_on_site_seconds", session.timeOnSiteMillis() / 1000);
        out.put("checkout_steps", session.checkoutSteps());
        out.put("errors", session.errors());
        out.put("previous_abandonments", session.previousAbandonments());
    }

    /** The cart fields that abandoned-cart facts and contact tasks share, under the same names. */
    public static void putCart(ObjectNode node, AbandonedCart cart) {
        node.put("customer_id", cart.customerId());
        node.put("anonymous_id", cart.anonymousId());
        ArrayNode items = node.putArray("items");
        for (CartLine line : cart.items()) {
            ObjectNode item = items.addObject();
            item.put("product_id", line.productId());
            item.put("name", line.name());
            item.put("quantity", line.quantity());
            item.put("unit_price", line.unitPrice());
            item.put("line_total", line.lineTotal());
        }
        node.put("cart_value", cart.cartValue());
        node.put("currency", cart.currency());
        node.put("stage", cart.stage().wireName());
        node.put("reason", cart.reason().wireName());
        node.put("shipping_cost", cart.shippingCost());
        node.put("abandoned_at", Json.time(cart.abandonedAt()));
        node.put("detected_at", Json.time(cart.detectedAt()));
    }
}

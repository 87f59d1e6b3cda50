package io.cartrecovery.tasks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.AbandonedCartJson;
import io.cartrecovery.detection.CartClosed;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.sinks.Json;
import java.time.Instant;

/** Writes contact tasks in the published format (schemas/contact-task.schema.json). */
public final class ContactTaskJson {
    private ContactTaskJson() {}

    /**
     * @param emittedAt wall-clock epoch millis stamped as {@code emitted_at}
     */
    public static ObjectNode toJson(ContactTask task, long emittedAt) {
        ObjectNode node = ClickEventJson.MAPPER.createObjectNode();
        node.put("schema_version", ContactTask.SCHEMA_VERSION);
        node.put("task_id", task.taskId());
        node.put("type", task.type().wireName());
        node.put("store_id", task.storeId());
        node.put("cart_id", task.cartId());
        node.put("attempt", task.attempt());
        AbandonedCart cart = task.cart();
        if (cart != null) {
            AbandonedCartJson.putCart(node, cart);
            node.put("due_by", Json.time(task.dueBy()));
        }
        CartClosed closed = task.closed();
        if (closed != null) {
            node.put("customer_id", closed.customerId());
            node.put("cancel_reason", closed.cause().wireName());
            node.put("cancelled_at", Json.time(closed.eventTime()));
            node.put("order_id", closed.orderId());
        }
        node.put("emitted_at", Instant.ofEpochMilli(emittedAt).toString());
        return node;
    }
}

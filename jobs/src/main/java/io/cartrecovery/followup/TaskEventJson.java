package io.cartrecovery.followup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.sinks.Json;
import java.time.Instant;

/** Writes task events in the published format (schemas/task-event.schema.json). */
public final class TaskEventJson {
    private TaskEventJson() {}

    /**
     * @param emittedAt wall-clock epoch millis stamped as {@code emitted_at}
     */
    public static ObjectNode toJson(TaskEvent event, long emittedAt) {
        ObjectNode node = ClickEventJson.MAPPER.createObjectNode();
        node.put("schema_version", TaskEvent.SCHEMA_VERSION);
        node.put("event_id", event.eventId());
        node.put("type", event.type().wireName());
        node.put("task_id", event.taskId());
        node.put("store_id", event.storeId());
        node.put("cart_id", event.cartId());
        node.put("customer_id", event.customerId());
        node.put("attempt", event.attempt());
        node.put("channel", event.channel());
        node.put("agent_id", event.agentId());
        node.put("time", Json.time(event.time()));
        if (event.outcome() != null) {
            node.put("outcome", event.outcome());
        }
        if (event.objection() != null) {
            node.put("objection", event.objection());
        }
        if (event.reason() != null) {
            node.put("reason", event.reason());
        }
        if (event.dueAt() != null) {
            node.put("due_at", Json.time(event.dueAt()));
        }
        if (event.orderId() != null) {
            node.put("order_id", event.orderId());
        }
        if (event.type() == TaskEventType.RECOVERED) {
            node.put("value", event.value() == null ? null : event.value().toPlainString());
            node.put("currency", event.currency());
            node.put("credited", event.credited());
        }
        node.put("emitted_at", Instant.ofEpochMilli(emittedAt).toString());
        return node;
    }
}

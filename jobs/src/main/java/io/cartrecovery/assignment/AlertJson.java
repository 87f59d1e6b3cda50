package io.cartrecovery.assignment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.sinks.Json;

/**
 * Writes alerts in the published format (schemas/alert.schema.json); absent fields are left out.
 */
public final class AlertJson {
    private AlertJson() {}

    public static final int SCHEMA_VERSION = 1;

    public static ObjectNode toJson(Alert alert) {
        ObjectNode node = ClickEventJson.MAPPER.createObjectNode();
        node.put("schema_version", SCHEMA_VERSION);
        node.put("alert_id", alert.alertId());
        node.put("type", alert.type().wireName());
        node.put("at", Json.time(alert.at()));
        putIfSet(node, "store_id", alert.storeId());
        putIfSet(node, "task_id", alert.taskId());
        putIfSet(node, "cart_id", alert.cartId());
        putIfSet(node, "agent_id", alert.agentId());
        if (alert.dueBy() != null) {
            node.put("due_by", Json.time(alert.dueBy()));
        }
        putIfSet(node, "cause", alert.cause());
        if (alert.count() != null) {
            node.put("count", alert.count());
        }
        if (alert.limit() != null) {
            node.put("limit", alert.limit());
        }
        return node;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}

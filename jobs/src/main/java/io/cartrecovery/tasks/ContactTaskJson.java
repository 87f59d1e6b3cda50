package io.cartrecovery.tasks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.AbandonedCartJson;
import io.cartrecovery.detection.CartClosed;
import io.cartrecovery.enrich.Enrichment;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.priority.Priority;
import io.cartrecovery.priority.ReasonCode;
import io.cartrecovery.profiles.CustomerProfile;
import io.cartrecovery.scripts.Message;
import io.cartrecovery.scripts.ScriptOrMessage;
import io.cartrecovery.scripts.ScriptStep;
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
        node.put("issued_at", Json.time(task.issuedAt()));
        AbandonedCart cart = task.cart();
        if (cart != null) {
            AbandonedCartJson.putCart(node, cart);
            node.put("due_by", Json.time(task.dueBy()));
            node.put("not_before", task.notBefore() == null ? null : Json.time(task.notBefore()));
            putEnrichment(node, task);
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

    /**
     * Schema version 1 plus optional fields: every existing name keeps its meaning, so dialers that
     * ignore unknown fields go on working (schemas/contact-task.schema.json).
     */
    private static void putEnrichment(ObjectNode node, ContactTask task) {
        Enrichment enrichment = task.enrichment();
        Priority priority = enrichment.priority();
        node.put("priority", priority.score());
        node.put("probability", priority.probability());
        node.put("expected_value", priority.expectedValue());
        node.put("tier", priority.tier().wireName());
        ArrayNode reasons = node.putArray("reasons");
        for (ReasonCode reason : priority.reasons()) {
            reasons.addObject().put("code", reason.code()).put("points", reason.points());
        }
        Channel channel = task.channel();
        node.put("channel", channel == null ? null : channel.wireName());
        node.put("mode", channel == null ? null : channel.mode().wireName());
        node.put("assigned_agent", task.assignedAgent());
        // Contact details only travel with a channel: a task of an unknown customer, or one that
        // somehow lost its channel, must not invite a contact the policy did not allow.
        CustomerProfile profile = channel == null ? null : enrichment.profile();
        ObjectNode customer = node.putObject("customer");
        customer.put("name", profile == null ? null : profile.name());
        customer.put("phone", profile == null ? null : profile.phone());
        customer.put("email", profile == null ? null : profile.email());
        customer.put("language", profile == null ? null : profile.language());
        customer.put("timezone", enrichment.timeZone());
        putContent(node, task.content());
    }

    /** {@code script} for a call, {@code message} for any other channel (docs/scripts.md). */
    private static void putContent(ObjectNode node, ScriptOrMessage content) {
        if (content == null) {
            return;
        }
        node.put("content_language", content.language());
        if (content.script() != null) {
            ArrayNode script = node.putArray("script");
            for (ScriptStep step : content.script()) {
                script.addObject().put("step", step.step()).put("text", step.text());
            }
        }
        Message message = content.message();
        if (message != null) {
            ObjectNode out = node.putObject("message");
            if (message.subject() != null) {
                out.put("subject", message.subject());
            }
            out.put("text", message.text());
            out.put("cart_url", message.cartUrl());
        }
    }
}

package io.cartrecovery.outcomes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.events.Timestamps;
import io.cartrecovery.ingest.TextChecks;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.sinks.Json;
import io.cartrecovery.tasks.ContactTask;
import java.io.IOException;
import java.time.DateTimeException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Reads and writes contact outcomes (docs/outcomes.md, schemas/contact-outcome.schema.json).
 * Reasons name the field and never echo its value: notes and ids may hold personal data.
 */
public final class ContactOutcomeJson {
    private ContactOutcomeJson() {}

    /** The longest notes accepted; a dialer that sends more is sending something else. */
    public static final int MAX_NOTES = 4000;

    private static final ObjectMapper MAPPER =
            JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** Outcomes only a call can have; the message outcomes only messages. */
    private static final Set<OutcomeCode> CALL_ONLY =
            EnumSet.of(
                    OutcomeCode.NO_ANSWER,
                    OutcomeCode.VOICEMAIL,
                    OutcomeCode.BUSY,
                    OutcomeCode.CALLBACK_REQUESTED);

    private static final Set<OutcomeCode> MESSAGE_ONLY =
            EnumSet.of(
                    OutcomeCode.DELIVERED,
                    OutcomeCode.READ,
                    OutcomeCode.REPLIED,
                    OutcomeCode.BOUNCED);

    public static ContactOutcome parse(byte[] json) throws InvalidOutcomeException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidOutcomeException("not valid JSON");
        } catch (IOException e) {
            throw new InvalidOutcomeException("unreadable: " + e.getClass().getSimpleName());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidOutcomeException("not a JSON object");
        }
        String taskId = required(root, "task_id");
        try {
            UUID.fromString(taskId);
        } catch (IllegalArgumentException e) {
            throw new InvalidOutcomeException("task_id is not a UUID");
        }
        String storeId = required(root, "store_id");
        String cartId = required(root, "cart_id");
        JsonNode attemptNode = root.get("attempt");
        if (absent(attemptNode)) {
            throw new InvalidOutcomeException("missing attempt");
        }
        if (!attemptNode.isIntegralNumber()
                || !attemptNode.canConvertToInt()
                || attemptNode.intValue() < 1) {
            throw new InvalidOutcomeException("attempt must be a whole number from 1");
        }
        if (!ContactTask.taskId(storeId, cartId, attemptNode.intValue()).equals(taskId)) {
            throw new InvalidOutcomeException(
                    "task_id does not match store_id, cart_id and attempt");
        }
        String channelName = required(root, "channel");
        Channel channel =
                Arrays.stream(Channel.values())
                        .filter(c -> c.wireName().equals(channelName))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new InvalidOutcomeException(
                                                "channel is not one of "
                                                        + Arrays.stream(Channel.values())
                                                                .map(Channel::wireName)
                                                                .collect(
                                                                        Collectors.joining(", "))));
        OutcomeCode outcome =
                OutcomeCode.fromWireName(required(root, "outcome"))
                        .orElseThrow(
                                () -> new InvalidOutcomeException("outcome is not a known code"));
        if (channel == Channel.CALL && MESSAGE_ONLY.contains(outcome)) {
            throw new InvalidOutcomeException("outcome is for messages, channel is call");
        }
        if (channel != Channel.CALL && CALL_ONLY.contains(outcome)) {
            throw new InvalidOutcomeException("outcome is for calls, channel is a message");
        }
        String objectionName = text(root, "objection");
        Objection objection = null;
        if (objectionName != null) {
            objection =
                    Objection.fromWireName(objectionName)
                            .orElseThrow(
                                    () ->
                                            new InvalidOutcomeException(
                                                    "objection is not a known category"));
        }
        Long time = time(root.get("time"), "time");
        if (time == null) {
            throw new InvalidOutcomeException("missing time");
        }
        Long callbackAt = time(root.get("callback_at"), "callback_at");
        if (outcome == OutcomeCode.CALLBACK_REQUESTED && callbackAt == null) {
            throw new InvalidOutcomeException("callback_requested needs callback_at");
        }
        if (outcome != OutcomeCode.CALLBACK_REQUESTED && callbackAt != null) {
            throw new InvalidOutcomeException("callback_at goes only with callback_requested");
        }
        String notes = text(root, "notes");
        if (notes != null && notes.length() > MAX_NOTES) {
            throw new InvalidOutcomeException("notes longer than " + MAX_NOTES + " characters");
        }
        return new ContactOutcome(
                taskId,
                storeId,
                cartId,
                attemptNode.intValue(),
                text(root, "agent_id"),
                channel,
                outcome,
                objection,
                time,
                callbackAt,
                notes);
    }

    public static ObjectNode toJson(ContactOutcome outcome) {
        ObjectNode node = ClickEventJson.MAPPER.createObjectNode();
        node.put("task_id", outcome.taskId());
        node.put("store_id", outcome.storeId());
        node.put("cart_id", outcome.cartId());
        node.put("attempt", outcome.attempt());
        node.put("agent_id", outcome.agentId());
        node.put("channel", outcome.channel().wireName());
        node.put("outcome", outcome.outcome().wireName());
        node.put("objection", outcome.objection() == null ? null : outcome.objection().wireName());
        node.put("time", Json.time(outcome.time()));
        if (outcome.callbackAt() != null) {
            node.put("callback_at", Json.time(outcome.callbackAt()));
        }
        node.put("notes", outcome.notes());
        return node;
    }

    public static byte[] bytes(ContactOutcome outcome) {
        return Json.bytes(toJson(outcome));
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull();
    }

    private static String text(JsonNode root, String field) throws InvalidOutcomeException {
        JsonNode node = root.get(field);
        if (absent(node)) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidOutcomeException(field + " must be a string");
        }
        String value = node.textValue().strip();
        if (value.isEmpty()) {
            return null;
        }
        // Notes are free text with their own limit (MAX_NOTES); every other field is an id or a
        // code.
        String problem = field.equals("notes") ? null : TextChecks.id(value, field);
        if (problem != null) {
            throw new InvalidOutcomeException(problem);
        }
        return value;
    }

    private static String required(JsonNode root, String field) throws InvalidOutcomeException {
        String value = text(root, field);
        if (value == null) {
            throw new InvalidOutcomeException("missing " + field);
        }
        return value;
    }

    /** ISO-8601 with offset or epoch millis, as event_time in the clickstream. */
    private static Long time(JsonNode node, String field) throws InvalidOutcomeException {
        if (absent(node)) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isTextual()) {
            try {
                return Timestamps.epochMillis(node.textValue().strip());
            } catch (DateTimeException e) {
                // reported below
            }
        }
        throw new InvalidOutcomeException(field + " must be ISO-8601 with offset or epoch millis");
    }
}

package io.cartrecovery.followup;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * One change of a task's life, on the {@code task-events} topic (schemas/task-event.schema.json).
 * Ids only, never personal data.
 *
 * @param eventId deterministic: the same change of the same task always has the same id, so a
 *     replay or a restart writes the same ids
 * @param type what changed
 * @param taskId the task
 * @param storeId the store
 * @param cartId the cart
 * @param customerId the customer, or null
 * @param attempt the task's attempt number
 * @param channel the task's channel wire name, or null
 * @param agentId the agent (assigned, or who made the call), or null
 * @param outcome the outcome code (attempted, outcome), or null
 * @param objection the objection category (outcome), or null
 * @param reason why (cancelled, expired: the cancel reason; created: step, callback, fallback or
 *     reminder), or null
 * @param dueAt the task's due_by (created), the callback time (rescheduled), else null
 * @param time event time of the change, epoch millis
 * @param orderId the order (recovered, cancelled by a purchase), or null
 * @param value the recovered value, exact (recovered), or null
 * @param currency of {@code value}, or null
 * @param credited recovered: true when this attempt reached the shopper and gets the credit
 */
public record TaskEvent(
        String eventId,
        TaskEventType type,
        String taskId,
        String storeId,
        String cartId,
        String customerId,
        int attempt,
        String channel,
        String agentId,
        String outcome,
        String objection,
        String reason,
        Long dueAt,
        long time,
        String orderId,
        BigDecimal value,
        String currency,
        boolean credited) {

    public static final int SCHEMA_VERSION = 1;

    /**
     * A name-based UUID of the task, the type and what tells two events of one type apart (the
     * outcome code, the callback time); empty when a task has one event of the type.
     */
    public static String eventId(String taskId, TaskEventType type, String discriminator) {
        String name = "task-event\n" + taskId + '\n' + type.wireName() + '\n' + discriminator;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}

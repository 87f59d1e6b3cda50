package io.cartrecovery.outcomes;

import io.cartrecovery.priority.Channel;

/**
 * What one contact attempt achieved, on the {@code contact-outcomes} topic
 * (schemas/contact-outcome.schema.json, docs/outcomes.md).
 *
 * @param taskId the task the attempt carried out ({@code task_id} of the contact task)
 * @param storeId the store
 * @param cartId the cart of the task
 * @param attempt the task's attempt number, from 1
 * @param agentId the agent who made a call, or null for automated channels
 * @param channel the channel actually used
 * @param outcome what happened
 * @param objection the objection heard, or null
 * @param time when it happened by the dialer's clock, epoch millis UTC (event time)
 * @param callbackAt when the shopper asked to be called back, epoch millis UTC; set exactly for
 *     {@link OutcomeCode#CALLBACK_REQUESTED}
 * @param notes the agent's free text, or null: may hold personal data, so it is never written to
 *     facts, task events, logs or dead-letter reasons
 */
public record ContactOutcome(
        String taskId,
        String storeId,
        String cartId,
        int attempt,
        String agentId,
        Channel channel,
        OutcomeCode outcome,
        Objection objection,
        long time,
        Long callbackAt,
        String notes) {}

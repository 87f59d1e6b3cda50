package io.cartrecovery.followup;

/**
 * The state of one contact attempt, written when it is issued and again whenever it changes (an
 * outcome, expiry, a cancel): the {@code contact_attempts} fact. Ids and categories only.
 *
 * @param taskId the attempt's task
 * @param storeId the store
 * @param cartId the cart
 * @param attempt the attempt number
 * @param channel the channel wire name, or null when the customer is unknown
 * @param agentId the agent who made the call, or null
 * @param abandonedAt the cart's last activity, epoch millis
 * @param dueBy the task's due_by, epoch millis
 * @param startedAt event time the attempt was issued, epoch millis
 * @param attemptedAt event time of its first outcome (the contact was made), or null before
 * @param endedAt event time of its latest outcome, expiry or cancel, or null while pending
 * @param outcome pending, an outcome code, expired or cancelled
 * @param reached an outcome reached the shopper
 * @param responded the shopper responded
 * @param objection the objection category, or null
 */
public record AttemptFact(
        String taskId,
        String storeId,
        String cartId,
        int attempt,
        String channel,
        String agentId,
        long abandonedAt,
        long dueBy,
        long startedAt,
        Long attemptedAt,
        Long endedAt,
        String outcome,
        boolean reached,
        boolean responded,
        String objection) {}

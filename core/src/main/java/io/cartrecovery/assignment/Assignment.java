package io.cartrecovery.assignment;

import java.util.Locale;

/**
 * A change in who carries out a call, for the task-events topic: an agent took it, or it left the
 * unassigned queue unassigned.
 *
 * @param taskId the task
 * @param storeId the task's store
 * @param cartId the task's cart
 * @param attempt the task's attempt number
 * @param agentId the agent ({@link Kind#ASSIGNED}), else null
 * @param time event time of the change, epoch millis
 * @param kind what happened
 */
public record Assignment(
        String taskId,
        String storeId,
        String cartId,
        int attempt,
        String agentId,
        long time,
        Kind kind) {

    public enum Kind {
        /** An agent took the call. */
        ASSIGNED,
        /** The call waited in the queue until {@code assignment.forget-after} past its due time. */
        EXPIRED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}

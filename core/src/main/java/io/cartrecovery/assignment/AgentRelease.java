package io.cartrecovery.assignment;

/**
 * A call that no longer needs its agent: the contact happened (an outcome arrived) or the task was
 * cancelled. It frees the agent's slot and meets the first-contact SLA.
 *
 * @param taskId the task's id
 * @param time event time of the release (the outcome's time, the cancel's time), epoch millis
 * @param reason why, e.g. {@link #CANCELLED} or an outcome's wire name
 */
public record AgentRelease(String taskId, long time, String reason) {
    public static final String CANCELLED = "cancelled";
}

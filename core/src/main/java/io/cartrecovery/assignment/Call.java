package io.cartrecovery.assignment;

import io.cartrecovery.tasks.ContactTask;

/**
 * A call task the operator follows until it is released: in the unassigned queue ({@code agentId}
 * null) or with its agent.
 *
 * @param task the latest create of the task
 * @param agentId the agent, or null while queued
 * @param since event time the call arrived, epoch millis
 * @param riskAlerted whether sla_at_risk was raised
 * @param breachAlerted whether sla_breached was raised
 */
public record Call(
        ContactTask task, String agentId, long since, boolean riskAlerted, boolean breachAlerted) {

    boolean queued() {
        return agentId == null;
    }

    Call withTask(ContactTask latest) {
        return new Call(latest, agentId, since, riskAlerted, breachAlerted);
    }

    Call assignedTo(String agent) {
        return new Call(task, agent, since, riskAlerted, breachAlerted);
    }

    Call alerted(boolean risk, boolean breach) {
        return new Call(task, agentId, since, risk, breach);
    }
}

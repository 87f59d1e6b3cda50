package io.cartrecovery.clickhouse;

import static io.cartrecovery.clickhouse.FactTable.seconds;

import io.cartrecovery.followup.AttemptFact;
import java.util.List;

/**
 * Contact attempts: one row per attempt (key: its task id), written when it is issued and again as
 * outcomes, expiry or a cancel change it; the latest write wins. No free text: the outcome's notes
 * never come here.
 */
final class ContactAttemptTable implements FactTable<AttemptFact> {
    private static final long serialVersionUID = 1L;

    @Override
    public String table() {
        return "contact_attempts";
    }

    @Override
    public List<String> columns() {
        return List.of(
                "attempt_id",
                "task_id",
                "store_id",
                "cart_id",
                "attempt",
                "channel",
                "agent_id",
                "abandoned_at",
                "due_by",
                "started_at",
                "attempted_at",
                "ended_at",
                "outcome",
                "reached",
                "responded",
                "objection",
                "version");
    }

    @Override
    public Object[] row(AttemptFact fact, long version, CustomerIds ids) {
        return new Object[] {
            fact.taskId(),
            fact.taskId(),
            fact.storeId(),
            ids.cartId(fact.cartId()),
            fact.attempt(),
            // Unknown customers' tasks have no channel: the dialer chooses.
            fact.channel() == null ? "unknown" : fact.channel(),
            fact.agentId(),
            seconds(fact.abandonedAt()),
            seconds(fact.dueBy()),
            seconds(fact.startedAt()),
            fact.attemptedAt() == null ? null : seconds(fact.attemptedAt()),
            fact.endedAt() == null ? null : seconds(fact.endedAt()),
            fact.outcome(),
            fact.reached() ? 1 : 0,
            fact.responded() ? 1 : 0,
            fact.objection(),
            version
        };
    }
}

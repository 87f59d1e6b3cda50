package io.cartrecovery.sinks;

import io.cartrecovery.assignment.Alert;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.followup.TaskEvent;
import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.tasks.ContactTask;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * Where the job's results go.
 *
 * @param taskEvents every change of a task's life (docs/followup.md)
 * @param facts where the tasks, abandoned carts, KPI windows and follow-up facts go for analytics,
 *     or null
 * @param alerts where supervisor alerts go (docs/assignment.md), or null
 */
public record Outputs(
        Sink<ContactTask> tasks,
        Sink<AbandonedCart> abandoned,
        Sink<DeadLetter> deadLetters,
        Sink<TaskEvent> taskEvents,
        Facts facts,
        Sink<Alert> alerts) {

    /** The outputs without a facts store and alerts. */
    public Outputs(
            Sink<ContactTask> tasks,
            Sink<AbandonedCart> abandoned,
            Sink<DeadLetter> deadLetters,
            Sink<TaskEvent> taskEvents) {
        this(tasks, abandoned, deadLetters, taskEvents, null, null);
    }

    public Outputs withFacts(Facts facts) {
        return new Outputs(tasks, abandoned, deadLetters, taskEvents, facts, alerts);
    }

    /** Where supervisor alerts go; without, they are not written. */
    public Outputs withAlerts(Sink<Alert> alerts) {
        return new Outputs(tasks, abandoned, deadLetters, taskEvents, facts, alerts);
    }
}

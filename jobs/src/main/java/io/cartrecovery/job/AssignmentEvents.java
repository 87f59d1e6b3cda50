package io.cartrecovery.job;

import io.cartrecovery.assignment.Assignment;
import io.cartrecovery.followup.TaskEvent;
import io.cartrecovery.followup.TaskEventType;
import io.cartrecovery.priority.Channel;

/** Who carries out a call, as a change of the task's life on the task-events topic. */
final class AssignmentEvents {
    private AssignmentEvents() {}

    /**
     * An agent took the call ({@code assigned}, one event per agent that took it), or it left the
     * unassigned queue without one ({@code expired}, reason {@code unassigned}).
     */
    static TaskEvent taskEvent(Assignment change) {
        boolean assigned = change.kind() == Assignment.Kind.ASSIGNED;
        TaskEventType type = assigned ? TaskEventType.ASSIGNED : TaskEventType.EXPIRED;
        return new TaskEvent(
                TaskEvent.eventId(
                        change.taskId(), type, assigned ? change.agentId() : "unassigned"),
                type,
                change.taskId(),
                change.storeId(),
                change.cartId(),
                null,
                change.attempt(),
                Channel.CALL.wireName(),
                change.agentId(),
                null,
                null,
                assigned ? null : "unassigned",
                null,
                change.time(),
                null,
                null,
                null,
                false);
    }
}

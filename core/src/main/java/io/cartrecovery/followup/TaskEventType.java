package io.cartrecovery.followup;

import java.util.Locale;

/** A change in a task's life (schemas/task-event.schema.json). */
public enum TaskEventType {
    CREATED,
    /** Written by assignment. */
    ASSIGNED,
    /** The first outcome of the task: the contact was tried. */
    ATTEMPTED,
    OUTCOME,
    /** The shopper asked to be called back: the contact continues at {@code due_at}. */
    RESCHEDULED,
    CANCELLED,
    EXPIRED,
    RECOVERED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

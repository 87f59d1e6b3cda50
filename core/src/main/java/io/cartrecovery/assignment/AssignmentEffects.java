package io.cartrecovery.assignment;

import io.cartrecovery.tasks.ContactTask;

/** What a decision of {@link AssignmentRules} causes, for the caller to route. */
public interface AssignmentEffects {

    /** A task on its way to the dialers: assigned, queued, or passed through. */
    void task(ContactTask task);

    void alert(Alert alert);

    void assignment(Assignment assignment);

    /** Call {@link AssignmentRules#advance} once event time reaches {@code at}. */
    void wakeAt(long at);
}

package io.cartrecovery.followup;

import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.tasks.ContactTask;

/**
 * What a decision of {@link FollowUpRules} causes, for the caller to route: the job's operator
 * sends each kind to its own output and registers the wake-ups as event-time timers.
 */
public interface FollowUpEffects {

    /** A contact task to create, send again with new contents, or cancel. */
    void task(ContactTask task);

    void taskEvent(TaskEvent event);

    void recovery(Recovery recovery);

    void holdout(HoldoutMembership membership);

    void attempt(AttemptFact attempt);

    /** An outcome that cannot be applied, with the reason. */
    void rejected(DeadLetter deadLetter);

    /** Call {@link FollowUpRules#advance} for this customer once event time reaches {@code at}. */
    void wakeAt(long at);
}

package io.cartrecovery.assignment;

import io.cartrecovery.keys.ContactCentreKey;
import io.cartrecovery.keys.Keys;
import io.cartrecovery.tasks.ContactTask;

/**
 * One input of the assignment operator: exactly one of a task (create or cancel), a roster update
 * or a release. Three streams meet as one so that a single keyed function sees them in the order
 * they arrive.
 */
public record AssignmentInput(ContactTask task, Agent agent, AgentRelease release) {

    public static AssignmentInput of(ContactTask task) {
        return new AssignmentInput(task, null, null);
    }

    public static AssignmentInput of(Agent agent) {
        return new AssignmentInput(null, agent, null);
    }

    public static AssignmentInput of(AgentRelease release) {
        return new AssignmentInput(null, null, release);
    }

    /** Everything goes to one key: the contact centre (docs/assignment.md, "Scale"). */
    public ContactCentreKey contactCentre() {
        return Keys.CONTACT_CENTRE;
    }
}

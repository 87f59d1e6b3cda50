package io.cartrecovery.assignment;

import io.cartrecovery.tasks.ContactTask;
import java.util.List;
import java.util.Map;

/**
 * What the assignment keeps of the contact centre, as {@link AssignmentRules} reads and changes it.
 * The job's operator backs it with keyed state under the one contact-centre key; each part is its
 * own handle, so a call or an agent's load is read and written alone.
 */
public interface ContactCentreState {

    /** Whether the start's roster (a replay's {@code --agents}) was loaded. */
    boolean seeded();

    void markSeeded();

    void putAgent(Agent agent);

    Iterable<Agent> agents();

    /** An agent's open calls and calls today; null when none were ever counted. */
    AgentLoad load(String agentId);

    void putLoad(String agentId, AgentLoad load);

    /** The calls followed, by task id: assigned or queued. */
    Call call(String taskId);

    void putCall(String taskId, Call call);

    void removeCall(String taskId);

    Iterable<Map.Entry<String, Call>> calls();

    /** Calls waiting for event time to reach the moment their cart was found abandoned. */
    ContactTask pendingCall(String taskId);

    void putPendingCall(ContactTask task);

    void removePendingCall(String taskId);

    Iterable<ContactTask> pendingCalls();

    /** Cancels of calls not seen yet, with the cancel's event time; null when none. */
    Long cancelledUnseen(String taskId);

    void putCancelledUnseen(String taskId, long at);

    void removeCancelledUnseen(String taskId);

    Iterable<Map.Entry<String, Long>> cancelledUnseen();

    /** Cancels and releases waiting for event time, at one moment; null when none. */
    List<AssignmentInput> held(long at);

    void putHeld(long at, List<AssignmentInput> inputs);

    void removeHeld(long at);

    /** Whether queue_growing was raised and the queue has not fallen back since. */
    boolean queueAlerted();

    void setQueueAlerted(boolean alerted);
}

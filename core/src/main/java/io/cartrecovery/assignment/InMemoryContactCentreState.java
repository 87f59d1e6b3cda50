package io.cartrecovery.assignment;

import io.cartrecovery.tasks.ContactTask;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contact centre's state in plain maps: for the rules' tests, and for anything that runs the
 * rules outside a Flink job.
 */
public final class InMemoryContactCentreState implements ContactCentreState {
    private boolean seeded;
    private final Map<String, Agent> roster = new LinkedHashMap<>();
    private final Map<String, AgentLoad> loads = new HashMap<>();
    private final Map<String, Call> calls = new HashMap<>();
    private final Map<String, ContactTask> pending = new HashMap<>();
    private final Map<String, Long> cancelled = new HashMap<>();
    private final Map<Long, List<AssignmentInput>> held = new HashMap<>();
    private boolean queueAlerted;

    @Override
    public boolean seeded() {
        return seeded;
    }

    @Override
    public void markSeeded() {
        seeded = true;
    }

    @Override
    public void putAgent(Agent agent) {
        roster.put(agent.agentId(), agent);
    }

    @Override
    public Iterable<Agent> agents() {
        return new ArrayList<>(roster.values());
    }

    @Override
    public AgentLoad load(String agentId) {
        return loads.get(agentId);
    }

    @Override
    public void putLoad(String agentId, AgentLoad load) {
        loads.put(agentId, load);
    }

    @Override
    public Call call(String taskId) {
        return calls.get(taskId);
    }

    @Override
    public void putCall(String taskId, Call call) {
        calls.put(taskId, call);
    }

    @Override
    public void removeCall(String taskId) {
        calls.remove(taskId);
    }

    @Override
    public Iterable<Map.Entry<String, Call>> calls() {
        return new ArrayList<>(calls.entrySet());
    }

    @Override
    public ContactTask pendingCall(String taskId) {
        return pending.get(taskId);
    }

    @Override
    public void putPendingCall(ContactTask task) {
        pending.put(task.taskId(), task);
    }

    @Override
    public void removePendingCall(String taskId) {
        pending.remove(taskId);
    }

    @Override
    public Iterable<ContactTask> pendingCalls() {
        return new ArrayList<>(pending.values());
    }

    @Override
    public Long cancelledUnseen(String taskId) {
        return cancelled.get(taskId);
    }

    @Override
    public void putCancelledUnseen(String taskId, long at) {
        cancelled.put(taskId, at);
    }

    @Override
    public void removeCancelledUnseen(String taskId) {
        cancelled.remove(taskId);
    }

    @Override
    public Iterable<Map.Entry<String, Long>> cancelledUnseen() {
        return new ArrayList<>(cancelled.entrySet());
    }

    @Override
    public List<AssignmentInput> held(long at) {
        List<AssignmentInput> inputs = held.get(at);
        return inputs == null ? null : new ArrayList<>(inputs);
    }

    @Override
    public void putHeld(long at, List<AssignmentInput> inputs) {
        held.put(at, new ArrayList<>(inputs));
    }

    @Override
    public void removeHeld(long at) {
        held.remove(at);
    }

    @Override
    public boolean queueAlerted() {
        return queueAlerted;
    }

    @Override
    public void setQueueAlerted(boolean alerted) {
        queueAlerted = alerted;
    }

    /** The calls still followed, assigned or queued. */
    public int followedCalls() {
        return calls.size() + pending.size();
    }
}

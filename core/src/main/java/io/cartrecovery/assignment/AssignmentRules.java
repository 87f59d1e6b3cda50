package io.cartrecovery.assignment;

import io.cartrecovery.enrich.Enrichment;
import io.cartrecovery.tasks.ContactTask;
import io.cartrecovery.tasks.TaskType;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Hands call tasks to agents, as plain rules (docs/assignment.md). One state for the whole contact
 * centre: an agent serves several stores, so their load cannot be split by store. {@code (state,
 * input, time) -> (new state, effects)}: it reads and changes a {@link ContactCentreState} and
 * reports tasks, alerts, assignments and wake-ups to {@link AssignmentEffects}; it knows nothing of
 * Flink (the job's {@code Assigner} operator adapts it to keyed state and timers).
 *
 * <p>A call goes at once to the least-loaded eligible agent on shift (store and language match,
 * under both limits; ties: fewer calls today, then the smaller agent id, so replays agree), else to
 * the unassigned queue, which is retried, highest priority then earliest due first, whenever an
 * agent is freed, the roster changes, a shift starts or an agent's day begins. Messages and cancels
 * of tasks the rules do not follow pass through unchanged.
 *
 * <p>Every decision is taken at the event time of what caused it, in event-time order, so that the
 * same inputs give the same assignments whatever order they arrived in and whatever the parallelism
 * upstream (issue 12): a call waits until event time reaches the moment it was issued ({@link
 * ContactTask#issuedAt}: its cart's gap end for attempt 1, its step's time for a follow-up attempt,
 * never the first attempt's moment), a cancel until it reaches the purchase, a release until it
 * reaches the outcome, and each is then applied at its own time; at one moment, cancels, then
 * releases, then calls (by priority, due time, task id). Alerts are checked at each call's risk,
 * due and forget moments. An input already behind event time is applied at once; roster changes are
 * reference data and apply from when they arrive.
 */
public final class AssignmentRules implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Highest priority first, then the earliest due, then the task id: a total order. */
    private static final Comparator<Call> QUEUE_ORDER =
            Comparator.comparingInt((Call c) -> -priority(c.task()))
                    .thenComparingLong(c -> c.task().dueBy())
                    .thenComparing(c -> c.task().taskId());

    private final AssignmentSettings settings;
    private final List<Agent> snapshot;

    /**
     * @param snapshot agents known at start (a replay's {@code --agents} file); the roster's
     *     updates replace them
     */
    public AssignmentRules(AssignmentSettings settings, List<Agent> snapshot) {
        this.settings = settings;
        this.snapshot = List.copyOf(snapshot);
    }

    /**
     * A task, a roster update or a release.
     *
     * @param watermark the event time reached so far
     */
    public void accept(
            ContactCentreState state,
            AssignmentInput input,
            long watermark,
            AssignmentEffects effects) {
        new Decision(state, effects).accept(input, watermark);
    }

    /** Event time reached a moment {@link AssignmentEffects#wakeAt} asked for. */
    public void advance(ContactCentreState state, long timestamp, AssignmentEffects effects) {
        new Decision(state, effects).advance(timestamp);
    }

    /** Cancels before releases, each kind by task id: one order for inputs of one moment. */
    private static final Comparator<AssignmentInput> HELD_ORDER =
            Comparator.comparingInt((AssignmentInput i) -> i.task() != null ? 0 : 1)
                    .thenComparing(
                            i -> i.task() != null ? i.task().taskId() : i.release().taskId());

    private static Alert slaAlert(Alert.Type type, Call call, long at) {
        ContactTask task = call.task();
        return new Alert(
                Alert.id(type, task.taskId()),
                type,
                at,
                task.storeId(),
                task.taskId(),
                task.cartId(),
                call.agentId(),
                task.dueBy(),
                call.queued() ? Alert.UNASSIGNED : Alert.NOT_CONTACTED,
                null,
                null);
    }

    private static boolean lessLoaded(
            Agent agent, AgentLoad load, Agent best, AgentLoad bestLoad, long now) {
        if (load.open() != bestLoad.open()) {
            return load.open() < bestLoad.open();
        }
        int today = load.todayAt(agent, now);
        int bestToday = bestLoad.todayAt(best, now);
        if (today != bestToday) {
            return today < bestToday;
        }
        return agent.agentId().compareTo(best.agentId()) < 0;
    }

    private static String language(ContactTask task) {
        Enrichment enrichment = task.enrichment();
        return enrichment == null || enrichment.profile() == null
                ? null
                : enrichment.profile().language();
    }

    private static int priority(ContactTask task) {
        Enrichment enrichment = task.enrichment();
        return enrichment == null ? 0 : enrichment.priority().score();
    }

    /** One decision over the contact centre's state: the state it reads and the effects. */
    private final class Decision {
        private final ContactCentreState state;
        private final AssignmentEffects fx;

        Decision(ContactCentreState state, AssignmentEffects fx) {
            this.state = state;
            this.fx = fx;
        }

        void accept(AssignmentInput input, long watermark) {
            seed();
            if (input.task() != null) {
                ContactTask task = input.task();
                if (task.type() == TaskType.CANCEL) {
                    holdOrApply(input, task.closed().eventTime(), watermark);
                } else if (!task.needsAgent()) {
                    fx.task(task);
                } else if (overtaken(task)) {
                    // Its cancel overtook it (they reach this operator by different paths): written
                    // as before, but no agent is spent on it.
                    state.removeCancelledUnseen(task.taskId());
                    fx.task(task);
                } else if (task.issuedAt() > watermark) {
                    state.putPendingCall(task);
                    fx.wakeAt(task.issuedAt());
                } else {
                    offer(task, watermark);
                }
            } else if (input.agent() != null) {
                update(input.agent(), watermark);
            } else if (input.release() != null) {
                holdOrApply(input, input.release().time(), watermark);
            }
        }

        /** A cancel or release ahead of the watermark waits for it; one behind it applies now. */
        private void holdOrApply(AssignmentInput input, long time, long watermark) {
            if (time <= watermark) {
                apply(input, watermark);
                return;
            }
            List<AssignmentInput> waiting = state.held(time);
            if (waiting == null) {
                waiting = new ArrayList<>(1);
            }
            waiting.add(input);
            state.putHeld(time, waiting);
            fx.wakeAt(time);
        }

        private void apply(AssignmentInput input, long now) {
            if (input.task() != null) {
                cancel(input.task(), now);
            } else {
                release(input.release().taskId(), now);
            }
        }

        /**
         * A cancel goes out at once; a call not yet offered is written unassigned just before it,
         * so that no agent is spent on a customer who bought.
         */
        private void cancel(ContactTask cancel, long now) {
            String taskId = cancel.taskId();
            ContactTask waiting = state.pendingCall(taskId);
            if (waiting != null) {
                state.removePendingCall(taskId);
                fx.task(waiting);
            } else if (state.call(taskId) == null) {
                state.putCancelledUnseen(taskId, cancel.closed().eventTime());
                fx.wakeAt(now + settings.forgetAfter().toMillis());
            }
            fx.task(cancel);
            release(taskId, now);
        }

        void advance(long timestamp) {
            seed();
            List<AssignmentInput> due = state.held(timestamp);
            if (due != null) {
                state.removeHeld(timestamp);
                due.sort(HELD_ORDER);
                for (AssignmentInput input : due) {
                    apply(input, timestamp);
                }
            }
            offerPending(timestamp);
            // The watermark has already moved past the timers it fires: each is judged at its own
            // time,
            // so a watermark that jumps past a call's risk and due moments raises both alerts.
            sweep(timestamp);
            drain(timestamp);
        }

        /**
         * Offers the calls issued by {@code time}, in the order of that moment, then priority, due
         * time and task id: calls that reach the operator together from parallel upstream tasks are
         * decided the same way in every run.
         */
        private void offerPending(long time) {
            List<ContactTask> ready = new ArrayList<>();
            for (ContactTask task : state.pendingCalls()) {
                if (task.issuedAt() <= time) {
                    ready.add(task);
                }
            }
            ready.sort(
                    Comparator.comparingLong(ContactTask::issuedAt)
                            .thenComparingInt(t -> -priority(t))
                            .thenComparingLong(ContactTask::dueBy)
                            .thenComparing(ContactTask::taskId));
            for (ContactTask task : ready) {
                state.removePendingCall(task.taskId());
                offer(task, time);
            }
        }

        /**
         * Whether a cancel of this call came first. A call issued after its cancel is a cart that
         * came back to life and was reported again under the same task id: a new call.
         */
        private boolean overtaken(ContactTask task) {
            Long cancelledAt = state.cancelledUnseen(task.taskId());
            return cancelledAt != null && task.issuedAt() <= cancelledAt;
        }

        /** A new call, or a new create of a call already followed (its cart was reported again). */
        private void offer(ContactTask task, long now) {
            long due = task.dueBy();
            fx.wakeAt(due - settings.riskMargin().toMillis());
            fx.wakeAt(due);
            fx.wakeAt(due + settings.forgetAfter().toMillis());
            Call known = state.call(task.taskId());
            if (known != null) {
                // Same task, new contents and due time; it keeps its agent or its place in the
                // queue.
                state.putCall(task.taskId(), known.withTask(task));
                fx.task(known.queued() ? task : task.withAssignedAgent(known.agentId()));
                return;
            }
            Agent agent = choose(task, now);
            if (agent != null) {
                state.putCall(task.taskId(), new Call(task, null, now, false, false));
                assign(task.taskId(), agent, now);
                return;
            }
            state.putCall(task.taskId(), new Call(task, null, now, false, false));
            fx.task(task);
            checkQueue(now);
            scheduleDrain(now);
        }

        /** A roster record: the agent's new rules apply to the next decision. */
        private void update(Agent agent, long now) {
            state.putAgent(agent);
            AgentLoad load = state.load(agent.agentId());
            if (load != null) {
                if (load.open() > agent.maxOpenTasks()) {
                    overCapacity(agent, "max_open_tasks", load.open(), agent.maxOpenTasks(), now);
                }
                int today = load.todayAt(agent, now);
                if (today > agent.maxTasksPerDay()) {
                    overCapacity(agent, "max_tasks_per_day", today, agent.maxTasksPerDay(), now);
                }
            }
            drain(now);
        }

        private void overCapacity(Agent agent, String cause, int count, int limit, long now) {
            fx.alert(
                    new Alert(
                            Alert.id(
                                    Alert.Type.AGENT_OVER_CAPACITY,
                                    agent.agentId(),
                                    cause,
                                    count,
                                    limit,
                                    now),
                            Alert.Type.AGENT_OVER_CAPACITY,
                            now,
                            null,
                            null,
                            null,
                            agent.agentId(),
                            null,
                            cause,
                            count,
                            limit));
        }

        /**
         * The call no longer needs its agent (or a place in the queue); the slot goes to the queue.
         */
        private void release(String taskId, long now) {
            Call call = state.call(taskId);
            if (call == null) {
                return;
            }
            state.removeCall(taskId);
            if (!call.queued()) {
                free(call.agentId());
            }
            drain(now);
        }

        private void free(String agentId) {
            AgentLoad load = state.load(agentId);
            if (load != null) {
                state.putLoad(agentId, load.released());
            }
        }

        /** Raises the SLA alerts that are due and lets go of calls past {@code forget-after}. */
        private void sweep(long now) {
            long margin = settings.riskMargin().toMillis();
            long forget = settings.forgetAfter().toMillis();
            List<String> stale = new ArrayList<>();
            for (Map.Entry<String, Long> cancelled : state.cancelledUnseen()) {
                if (now >= cancelled.getValue() + forget) {
                    stale.add(cancelled.getKey());
                }
            }
            for (String taskId : stale) {
                state.removeCancelledUnseen(taskId);
            }
            List<Map.Entry<String, Call>> entries = new ArrayList<>();
            state.calls().forEach(entries::add);
            entries.sort(Map.Entry.comparingByKey());
            for (Map.Entry<String, Call> entry : entries) {
                Call call = entry.getValue();
                ContactTask task = call.task();
                long due = task.dueBy();
                if (now >= due + forget) {
                    state.removeCall(entry.getKey());
                    if (call.queued()) {
                        fx.assignment(
                                new Assignment(
                                        task.taskId(),
                                        task.storeId(),
                                        task.cartId(),
                                        task.attempt(),
                                        null,
                                        due + forget,
                                        Assignment.Kind.EXPIRED));
                    } else {
                        free(call.agentId());
                    }
                    continue;
                }
                boolean breach = call.breachAlerted();
                boolean risk = call.riskAlerted();
                if (!breach && now >= due) {
                    fx.alert(slaAlert(Alert.Type.SLA_BREACHED, call, Math.max(due, call.since())));
                    breach = true;
                    risk = true;
                } else if (!risk && now >= due - margin) {
                    fx.alert(
                            slaAlert(
                                    Alert.Type.SLA_AT_RISK,
                                    call,
                                    Math.max(due - margin, call.since())));
                    risk = true;
                }
                if (risk != call.riskAlerted() || breach != call.breachAlerted()) {
                    state.putCall(entry.getKey(), call.alerted(risk, breach));
                }
            }
            checkQueue(now);
        }

        /**
         * Tries every queued call in queue order; one that nobody can take does not block the rest.
         */
        private void drain(long now) {
            List<Call> queue = queued();
            if (queue.isEmpty()) {
                return;
            }
            queue.sort(QUEUE_ORDER);
            for (Call call : queue) {
                Agent agent = choose(call.task(), now);
                if (agent != null) {
                    assign(call.task().taskId(), agent, now);
                }
            }
            checkQueue(now);
            scheduleDrain(now);
        }

        private void assign(String taskId, Agent agent, long now) {
            Call call = state.call(taskId);
            ContactTask task = call.task();
            state.putCall(taskId, call.assignedTo(agent.agentId()));
            AgentLoad load = state.load(agent.agentId());
            state.putLoad(
                    agent.agentId(), (load == null ? AgentLoad.NONE : load).plusOne(agent, now));
            fx.task(task.withAssignedAgent(agent.agentId()));
            fx.assignment(
                    new Assignment(
                            taskId,
                            task.storeId(),
                            task.cartId(),
                            task.attempt(),
                            agent.agentId(),
                            now,
                            Assignment.Kind.ASSIGNED));
        }

        /** The least-loaded eligible agent on shift at {@code now}, or null. */
        private Agent choose(ContactTask task, long now) {
            String language = language(task);
            Agent best = null;
            AgentLoad bestLoad = null;
            for (Agent agent : state.agents()) {
                AgentLoad load = state.load(agent.agentId());
                if (load == null) {
                    load = AgentLoad.NONE;
                }
                if (!agent.active()
                        || !agent.servesStore(task.storeId())
                        || !agent.speaks(language)
                        || load.open() >= agent.maxOpenTasks()
                        || load.todayAt(agent, now) >= agent.maxTasksPerDay()
                        || !agent.onShift(now)) {
                    continue;
                }
                if (best == null || lessLoaded(agent, load, best, bestLoad, now)) {
                    best = agent;
                    bestLoad = load;
                }
            }
            return best;
        }

        /** Raises queue_growing once per climb above the size; re-arms when it falls back. */
        private void checkQueue(long now) {
            int size = queued().size();
            boolean alerted = state.queueAlerted();
            if (size > settings.queueAlertSize() && !alerted) {
                fx.alert(
                        new Alert(
                                Alert.id(Alert.Type.QUEUE_GROWING, now, size),
                                Alert.Type.QUEUE_GROWING,
                                now,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                size,
                                settings.queueAlertSize()));
                state.setQueueAlerted(true);
            } else if (size <= settings.queueAlertSize() && alerted) {
                state.setQueueAlerted(false);
            }
        }

        /** Wakes up when an agent's shift starts or day begins, while calls wait. */
        private void scheduleDrain(long now) {
            if (queued().isEmpty()) {
                return;
            }
            long next = Long.MAX_VALUE;
            for (Agent agent : state.agents()) {
                if (agent.active()) {
                    next = Math.min(next, agent.nextChange(now));
                }
            }
            if (next != Long.MAX_VALUE) {
                fx.wakeAt(next);
            }
        }

        private List<Call> queued() {
            List<Call> queue = new ArrayList<>();
            for (Map.Entry<String, Call> entry : state.calls()) {
                Call call = entry.getValue();
                if (call.queued()) {
                    queue.add(call);
                }
            }
            return queue;
        }

        private void seed() {
            if (!state.seeded()) {
                for (Agent agent : snapshot) {
                    state.putAgent(agent);
                }
                state.markSeeded();
            }
        }
    }
}

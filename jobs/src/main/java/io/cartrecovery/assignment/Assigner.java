package io.cartrecovery.assignment;

import io.cartrecovery.enrich.Enrichment;
import io.cartrecovery.tasks.ContactTask;
import io.cartrecovery.tasks.TaskType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Hands call tasks to agents (docs/assignment.md). One key, the whole contact centre: an agent
 * serves several stores, so their load cannot be split by store.
 *
 * <p>A call goes at once to the least-loaded eligible agent on shift (store and language match,
 * under both limits; ties: fewer calls today, then the smaller agent id, so replays agree), else to
 * the unassigned queue, which is retried, highest priority then earliest due first, whenever an
 * agent is freed, the roster changes, a shift starts or an agent's day begins. Messages and cancels
 * of tasks the operator does not follow pass through unchanged.
 *
 * <p>Every decision is taken at the event time of what caused it, in event-time order, so that the
 * same inputs give the same assignments whatever order they arrived in and whatever the parallelism
 * upstream (issue 12): a call waits until the watermark reaches the moment its cart was found
 * abandoned, a cancel until it reaches the purchase, a release until it reaches the outcome
 * (normally at once: the watermark that carried them follows them), and each is then applied at its
 * own time; at one moment, cancels, then releases, then calls (by priority, due time, task id).
 * Alerts are checked on event-time timers at each call's risk, due and forget moments. A record
 * already behind the watermark is applied at the watermark; roster changes are reference data and
 * apply from when they arrive.
 */
public final class Assigner extends KeyedProcessFunction<String, AssignmentInput, ContactTask> {
    private static final long serialVersionUID = 1L;

    public static final String UID = "assign-calls";
    public static final String CONTACT_CENTRE = "contact-centre";

    public static final OutputTag<Alert> ALERTS = new OutputTag<>("alerts") {};
    public static final OutputTag<Assignment> ASSIGNMENTS = new OutputTag<>("assignments") {};

    private static final MapStateDescriptor<String, Agent> ROSTER =
            new MapStateDescriptor<>("roster", Types.STRING, TypeInformation.of(Agent.class));
    private static final MapStateDescriptor<String, AgentLoad> LOADS =
            new MapStateDescriptor<>("loads", Types.STRING, TypeInformation.of(AgentLoad.class));
    static final MapStateDescriptor<String, Call> CALLS =
            new MapStateDescriptor<>("calls", Types.STRING, TypeInformation.of(Call.class));
    private static final MapStateDescriptor<String, ContactTask> PENDING =
            new MapStateDescriptor<>(
                    "pending", Types.STRING, TypeInformation.of(ContactTask.class));
    private static final MapStateDescriptor<String, Long> CANCELLED =
            new MapStateDescriptor<>("cancelled-unseen", Types.STRING, Types.LONG);

    /** Cancels and releases waiting for the watermark, by their event time. */
    private static final MapStateDescriptor<Long, List<AssignmentInput>> HELD =
            new MapStateDescriptor<>(
                    "held-cancels-releases",
                    Types.LONG,
                    Types.LIST(TypeInformation.of(AssignmentInput.class)));

    private static final ValueStateDescriptor<Boolean> QUEUE_ALERTED =
            new ValueStateDescriptor<>("queue-alerted", Types.BOOLEAN);
    private static final ValueStateDescriptor<Boolean> SEEDED =
            new ValueStateDescriptor<>("roster-seeded", Types.BOOLEAN);

    /** Highest priority first, then the earliest due, then the task id: a total order. */
    private static final Comparator<Call> QUEUE_ORDER =
            Comparator.comparingInt((Call c) -> -priority(c.task()))
                    .thenComparingLong(c -> c.task().dueBy())
                    .thenComparing(c -> c.task().taskId());

    private final AssignmentSettings settings;
    private final List<Agent> snapshot;

    private transient MapState<String, Agent> roster;
    private transient MapState<String, AgentLoad> loads;
    private transient MapState<String, Call> calls;
    private transient MapState<String, ContactTask> pending;
    private transient MapState<String, Long> cancelledUnseen;
    private transient MapState<Long, List<AssignmentInput>> held;
    private transient ValueState<Boolean> queueAlerted;
    private transient ValueState<Boolean> seeded;

    /**
     * @param snapshot agents known at start (a replay's {@code --agents} file); the topic's updates
     *     replace them
     */
    public Assigner(AssignmentSettings settings, List<Agent> snapshot) {
        this.settings = settings;
        this.snapshot = List.copyOf(snapshot);
    }

    @Override
    public void open(OpenContext context) {
        roster = getRuntimeContext().getMapState(ROSTER);
        loads = getRuntimeContext().getMapState(LOADS);
        calls = getRuntimeContext().getMapState(CALLS);
        pending = getRuntimeContext().getMapState(PENDING);
        cancelledUnseen = getRuntimeContext().getMapState(CANCELLED);
        held = getRuntimeContext().getMapState(HELD);
        queueAlerted = getRuntimeContext().getState(QUEUE_ALERTED);
        seeded = getRuntimeContext().getState(SEEDED);
    }

    @Override
    public void processElement(AssignmentInput input, Context ctx, Collector<ContactTask> out)
            throws Exception {
        seed();
        Effects effects = new Effects(ctx, out);
        long watermark = ctx.timerService().currentWatermark();
        if (input.task() != null) {
            ContactTask task = input.task();
            if (task.type() == TaskType.CANCEL) {
                holdOrApply(input, task.closed().eventTime(), watermark, effects);
            } else if (!task.needsAgent()) {
                out.collect(task);
            } else if (overtaken(task)) {
                // Its cancel overtook it (they reach this operator by different paths): written
                // as before, but no agent is spent on it.
                cancelledUnseen.remove(task.taskId());
                out.collect(task);
            } else if (detectedAt(task) > ctx.timerService().currentWatermark()) {
                pending.put(task.taskId(), task);
                ctx.timerService().registerEventTimeTimer(detectedAt(task));
            } else {
                offer(task, watermark, effects);
            }
        } else if (input.agent() != null) {
            update(input.agent(), watermark, effects);
        } else if (input.release() != null) {
            holdOrApply(input, input.release().time(), watermark, effects);
        }
    }

    /** A cancel or release ahead of the watermark waits for it; one behind it applies now. */
    private void holdOrApply(AssignmentInput input, long time, long watermark, Effects effects)
            throws Exception {
        if (time <= watermark) {
            apply(input, watermark, effects);
            return;
        }
        List<AssignmentInput> waiting = held.get(time);
        if (waiting == null) {
            waiting = new ArrayList<>(1);
        }
        waiting.add(input);
        held.put(time, waiting);
        effects.timers().registerEventTimeTimer(time);
    }

    private void apply(AssignmentInput input, long now, Effects effects) throws Exception {
        if (input.task() != null) {
            cancel(input.task(), now, effects);
        } else {
            release(input.release().taskId(), now, effects);
        }
    }

    /** Cancels before releases, each kind by task id: one order for inputs of one moment. */
    private static final Comparator<AssignmentInput> HELD_ORDER =
            Comparator.comparingInt((AssignmentInput i) -> i.task() != null ? 0 : 1)
                    .thenComparing(
                            i -> i.task() != null ? i.task().taskId() : i.release().taskId());

    /**
     * A cancel goes out at once; a call not yet offered is written unassigned just before it, so
     * that no agent is spent on a customer who bought.
     */
    private void cancel(ContactTask cancel, long now, Effects effects) throws Exception {
        String taskId = cancel.taskId();
        ContactTask waiting = pending.get(taskId);
        if (waiting != null) {
            pending.remove(taskId);
            effects.out.collect(waiting);
        } else if (!calls.contains(taskId)) {
            cancelledUnseen.put(taskId, cancel.closed().eventTime());
            effects.timers().registerEventTimeTimer(now + settings.forgetAfter().toMillis());
        }
        effects.out.collect(cancel);
        release(taskId, now, effects);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ContactTask> out)
            throws Exception {
        seed();
        Effects effects = new Effects(ctx, out);
        List<AssignmentInput> due = held.get(timestamp);
        if (due != null) {
            held.remove(timestamp);
            due.sort(HELD_ORDER);
            for (AssignmentInput input : due) {
                apply(input, timestamp, effects);
            }
        }
        offerPending(timestamp, effects);
        // The watermark has already moved past the timers it fires: each is judged at its own time,
        // so a watermark that jumps past a call's risk and due moments raises both alerts.
        sweep(timestamp, effects);
        drain(timestamp, effects);
    }

    /**
     * Offers the calls found abandoned by {@code time}, in the order of that moment, then priority,
     * due time and task id: calls that reach the operator together from parallel upstream tasks are
     * decided the same way in every run.
     */
    private void offerPending(long time, Effects effects) throws Exception {
        List<ContactTask> ready = new ArrayList<>();
        for (ContactTask task : pending.values()) {
            if (detectedAt(task) <= time) {
                ready.add(task);
            }
        }
        ready.sort(
                Comparator.comparingLong(Assigner::detectedAt)
                        .thenComparingInt(t -> -priority(t))
                        .thenComparingLong(ContactTask::dueBy)
                        .thenComparing(ContactTask::taskId));
        for (ContactTask task : ready) {
            pending.remove(task.taskId());
            offer(task, time, effects);
        }
    }

    /**
     * Whether a cancel of this call came first. A cart found abandoned after its cancel is a cart
     * that came back to life and was reported again under the same task id: a new call.
     */
    private boolean overtaken(ContactTask task) throws Exception {
        Long cancelledAt = cancelledUnseen.get(task.taskId());
        return cancelledAt != null && detectedAt(task) <= cancelledAt;
    }

    /** A new call, or a new create of a call already followed (its cart was reported again). */
    private void offer(ContactTask task, long now, Effects effects) throws Exception {
        long due = task.dueBy();
        TimerService timers = effects.timers();
        timers.registerEventTimeTimer(due - settings.riskMargin().toMillis());
        timers.registerEventTimeTimer(due);
        timers.registerEventTimeTimer(due + settings.forgetAfter().toMillis());
        Call known = calls.get(task.taskId());
        if (known != null) {
            // Same task, new contents and due time; it keeps its agent or its place in the queue.
            calls.put(task.taskId(), known.withTask(task));
            effects.out.collect(known.queued() ? task : task.withAssignedAgent(known.agentId()));
            return;
        }
        Agent agent = choose(task, now);
        if (agent != null) {
            calls.put(task.taskId(), new Call(task, null, now, false, false));
            assign(task.taskId(), agent, now, effects);
            return;
        }
        calls.put(task.taskId(), new Call(task, null, now, false, false));
        effects.out.collect(task);
        checkQueue(now, effects);
        scheduleDrain(now, timers);
    }

    /** A roster record: the agent's new rules apply to the next decision. */
    private void update(Agent agent, long now, Effects effects) throws Exception {
        roster.put(agent.agentId(), agent);
        AgentLoad load = loads.get(agent.agentId());
        if (load != null) {
            if (load.open() > agent.maxOpenTasks()) {
                overCapacity(
                        agent, "max_open_tasks", load.open(), agent.maxOpenTasks(), now, effects);
            }
            int today = load.todayAt(agent, now);
            if (today > agent.maxTasksPerDay()) {
                overCapacity(
                        agent, "max_tasks_per_day", today, agent.maxTasksPerDay(), now, effects);
            }
        }
        drain(now, effects);
    }

    private void overCapacity(
            Agent agent, String cause, int count, int limit, long now, Effects effects) {
        effects.alert(
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

    /** The call no longer needs its agent (or a place in the queue); the slot goes to the queue. */
    private void release(String taskId, long now, Effects effects) throws Exception {
        Call call = calls.get(taskId);
        if (call == null) {
            return;
        }
        calls.remove(taskId);
        if (!call.queued()) {
            free(call.agentId());
        }
        drain(now, effects);
    }

    private void free(String agentId) throws Exception {
        AgentLoad load = loads.get(agentId);
        if (load != null) {
            loads.put(agentId, load.released());
        }
    }

    /** Raises the SLA alerts that are due and lets go of calls past {@code forget-after}. */
    private void sweep(long now, Effects effects) throws Exception {
        long margin = settings.riskMargin().toMillis();
        long forget = settings.forgetAfter().toMillis();
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, Long> cancelled : cancelledUnseen.entries()) {
            if (now >= cancelled.getValue() + forget) {
                stale.add(cancelled.getKey());
            }
        }
        for (String taskId : stale) {
            cancelledUnseen.remove(taskId);
        }
        List<Map.Entry<String, Call>> entries = new ArrayList<>();
        calls.entries().forEach(entries::add);
        entries.sort(Map.Entry.comparingByKey());
        for (Map.Entry<String, Call> entry : entries) {
            Call call = entry.getValue();
            ContactTask task = call.task();
            long due = task.dueBy();
            if (now >= due + forget) {
                calls.remove(entry.getKey());
                if (call.queued()) {
                    effects.ctx.output(
                            ASSIGNMENTS,
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
                effects.alert(slaAlert(Alert.Type.SLA_BREACHED, call, Math.max(due, call.since())));
                breach = true;
                risk = true;
            } else if (!risk && now >= due - margin) {
                effects.alert(
                        slaAlert(
                                Alert.Type.SLA_AT_RISK,
                                call,
                                Math.max(due - margin, call.since())));
                risk = true;
            }
            if (risk != call.riskAlerted() || breach != call.breachAlerted()) {
                calls.put(entry.getKey(), call.alerted(risk, breach));
            }
        }
        checkQueue(now, effects);
    }

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

    /** Tries every queued call in queue order; one that nobody can take does not block the rest. */
    private void drain(long now, Effects effects) throws Exception {
        List<Call> queue = queued();
        if (queue.isEmpty()) {
            return;
        }
        queue.sort(QUEUE_ORDER);
        for (Call call : queue) {
            Agent agent = choose(call.task(), now);
            if (agent != null) {
                assign(call.task().taskId(), agent, now, effects);
            }
        }
        checkQueue(now, effects);
        scheduleDrain(now, effects.timers());
    }

    private void assign(String taskId, Agent agent, long now, Effects effects) throws Exception {
        Call call = calls.get(taskId);
        ContactTask task = call.task();
        calls.put(taskId, call.assignedTo(agent.agentId()));
        AgentLoad load = loads.get(agent.agentId());
        loads.put(agent.agentId(), (load == null ? AgentLoad.NONE : load).plusOne(agent, now));
        effects.out.collect(task.withAssignedAgent(agent.agentId()));
        effects.ctx.output(
                ASSIGNMENTS,
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
    private Agent choose(ContactTask task, long now) throws Exception {
        String language = language(task);
        Agent best = null;
        AgentLoad bestLoad = null;
        for (Agent agent : roster.values()) {
            AgentLoad load = loads.get(agent.agentId());
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

    /** Raises queue_growing once per climb above the size; re-arms when it falls back. */
    private void checkQueue(long now, Effects effects) throws Exception {
        int size = queued().size();
        boolean alerted = Boolean.TRUE.equals(queueAlerted.value());
        if (size > settings.queueAlertSize() && !alerted) {
            effects.alert(
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
            queueAlerted.update(true);
        } else if (size <= settings.queueAlertSize() && alerted) {
            queueAlerted.clear();
        }
    }

    /** Wakes up when an agent's shift starts or day begins, while calls wait. */
    private void scheduleDrain(long now, TimerService timers) throws Exception {
        if (queued().isEmpty()) {
            return;
        }
        long next = Long.MAX_VALUE;
        for (Agent agent : roster.values()) {
            if (agent.active()) {
                next = Math.min(next, agent.nextChange(now));
            }
        }
        if (next != Long.MAX_VALUE) {
            timers.registerEventTimeTimer(next);
        }
    }

    private List<Call> queued() throws Exception {
        List<Call> queue = new ArrayList<>();
        for (Call call : calls.values()) {
            if (call.queued()) {
                queue.add(call);
            }
        }
        return queue;
    }

    private void seed() throws Exception {
        if (seeded.value() == null) {
            for (Agent agent : snapshot) {
                roster.put(agent.agentId(), agent);
            }
            seeded.update(true);
        }
    }

    /** The moment in event time the cart was found abandoned: its last activity plus its gap. */
    static long detectedAt(ContactTask task) {
        return task.cart().abandonedAt() + task.cart().gapMillis();
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

    /** Where a decision's results go, from an element or a timer alike. */
    private static final class Effects {
        final KeyedProcessFunction<String, AssignmentInput, ContactTask>.Context ctx;
        final Collector<ContactTask> out;

        Effects(
                KeyedProcessFunction<String, AssignmentInput, ContactTask>.Context ctx,
                Collector<ContactTask> out) {
            this.ctx = ctx;
            this.out = out;
        }

        TimerService timers() {
            return ctx.timerService();
        }

        void alert(Alert alert) {
            ctx.output(ALERTS, alert);
        }
    }
}

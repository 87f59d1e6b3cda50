package io.cartrecovery.assignment;

import io.cartrecovery.keys.ContactCentreKey;
import io.cartrecovery.keys.Keys;
import io.cartrecovery.serialization.KeyTypes;
import io.cartrecovery.serialization.SerializerTypeInfo;
import io.cartrecovery.state.KeyedState;
import io.cartrecovery.tasks.ContactTask;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The assignment operator, under the one contact-centre key ({@link Keys#CONTACT_CENTRE}): runs
 * {@link AssignmentRules} over the contact centre's keyed state, turns the rules' wake-ups into
 * event-time timers and routes what they decide to the task stream and the side outputs. Every
 * decision is the rules'; this only loads and stores state, registers timers and routes results.
 */
public final class Assigner
        extends KeyedProcessFunction<ContactCentreKey, AssignmentInput, ContactTask> {
    private static final long serialVersionUID = 1L;

    public static final String UID = "assign-calls";

    public static final OutputTag<Alert> ALERTS = new OutputTag<>("alerts") {};
    public static final OutputTag<Assignment> ASSIGNMENTS = new OutputTag<>("assignments") {};

    // The state's names and types are those of the version before the rules left this class:
    // savepoints restore (docs/state.md).
    private static final MapStateDescriptor<String, Agent> ROSTER =
            new MapStateDescriptor<>("roster", Types.STRING, TypeInformation.of(Agent.class));
    private static final MapStateDescriptor<String, AgentLoad> LOADS =
            new MapStateDescriptor<>("loads", Types.STRING, TypeInformation.of(AgentLoad.class));
    public static final MapStateDescriptor<String, Call> CALLS =
            new MapStateDescriptor<>(
                    "calls",
                    Types.STRING,
                    new SerializerTypeInfo<>(Call.class, CallSerializer.INSTANCE));
    public static final MapStateDescriptor<String, ContactTask> PENDING =
            new MapStateDescriptor<>(
                    "pending",
                    Types.STRING,
                    new SerializerTypeInfo<>(ContactTask.class, PendingCallSerializer.INSTANCE));
    private static final MapStateDescriptor<String, Long> CANCELLED =
            new MapStateDescriptor<>("cancelled-unseen", Types.STRING, Types.LONG);
    public static final MapStateDescriptor<Long, List<AssignmentInput>> HELD =
            new MapStateDescriptor<>(
                    "held-cancels-releases",
                    Types.LONG,
                    Types.LIST(
                            new SerializerTypeInfo<>(
                                    AssignmentInput.class, HeldInputSerializer.INSTANCE)));
    private static final ValueStateDescriptor<Boolean> QUEUE_ALERTED =
            new ValueStateDescriptor<>("queue-alerted", Types.BOOLEAN);
    private static final ValueStateDescriptor<Boolean> SEEDED =
            new ValueStateDescriptor<>("roster-seeded", Types.BOOLEAN);

    private final AssignmentRules rules;

    private transient KeyedContactCentreState state;

    /**
     * @param snapshot agents known at start (a replay's {@code --agents} file); the topic's updates
     *     replace them
     */
    public Assigner(AssignmentSettings settings, List<Agent> snapshot) {
        this.rules = new AssignmentRules(settings, snapshot);
    }

    @Override
    public void open(OpenContext context) {
        state =
                new KeyedContactCentreState(
                        getRuntimeContext().getMapState(ROSTER),
                        getRuntimeContext().getMapState(LOADS),
                        getRuntimeContext().getMapState(CALLS),
                        getRuntimeContext().getMapState(PENDING),
                        getRuntimeContext().getMapState(CANCELLED),
                        getRuntimeContext().getMapState(HELD),
                        getRuntimeContext().getState(QUEUE_ALERTED),
                        getRuntimeContext().getState(SEEDED));
    }

    @Override
    public void processElement(AssignmentInput input, Context ctx, Collector<ContactTask> out) {
        rules.accept(state, input, ctx.timerService().currentWatermark(), new Routed(ctx, out));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ContactTask> out) {
        KeyTypes.requireTyped(ctx.getCurrentKey());
        rules.advance(state, timestamp, new Routed(ctx, out));
    }

    /** The rules' effects, to the operator's outputs and timers. */
    private static final class Routed implements AssignmentEffects {
        private final Context ctx;
        private final Collector<ContactTask> out;

        Routed(Context ctx, Collector<ContactTask> out) {
            this.ctx = ctx;
            this.out = out;
        }

        @Override
        public void task(ContactTask task) {
            out.collect(task);
        }

        @Override
        public void alert(Alert alert) {
            ctx.output(ALERTS, alert);
        }

        @Override
        public void assignment(Assignment assignment) {
            ctx.output(ASSIGNMENTS, assignment);
        }

        @Override
        public void wakeAt(long at) {
            ctx.timerService().registerEventTimeTimer(at);
        }
    }

    /** The contact centre's state in keyed state, one handle per part. */
    private static final class KeyedContactCentreState implements ContactCentreState {
        private final MapState<String, Agent> roster;
        private final MapState<String, AgentLoad> loads;
        private final MapState<String, Call> calls;
        private final MapState<String, ContactTask> pending;
        private final MapState<String, Long> cancelled;
        private final MapState<Long, List<AssignmentInput>> held;
        private final ValueState<Boolean> queueAlerted;
        private final ValueState<Boolean> seeded;

        KeyedContactCentreState(
                MapState<String, Agent> roster,
                MapState<String, AgentLoad> loads,
                MapState<String, Call> calls,
                MapState<String, ContactTask> pending,
                MapState<String, Long> cancelled,
                MapState<Long, List<AssignmentInput>> held,
                ValueState<Boolean> queueAlerted,
                ValueState<Boolean> seeded) {
            this.roster = roster;
            this.loads = loads;
            this.calls = calls;
            this.pending = pending;
            this.cancelled = cancelled;
            this.held = held;
            this.queueAlerted = queueAlerted;
            this.seeded = seeded;
        }

        @Override
        public boolean seeded() {
            return KeyedState.call(seeded::value) != null;
        }

        @Override
        public void markSeeded() {
            KeyedState.run(() -> seeded.update(true));
        }

        @Override
        public void putAgent(Agent agent) {
            KeyedState.run(() -> roster.put(agent.agentId(), agent));
        }

        @Override
        public Iterable<Agent> agents() {
            return KeyedState.call(roster::values);
        }

        @Override
        public AgentLoad load(String agentId) {
            return KeyedState.call(() -> loads.get(agentId));
        }

        @Override
        public void putLoad(String agentId, AgentLoad load) {
            KeyedState.run(() -> loads.put(agentId, load));
        }

        @Override
        public Call call(String taskId) {
            return KeyedState.call(() -> calls.get(taskId));
        }

        @Override
        public void putCall(String taskId, Call call) {
            KeyedState.run(() -> calls.put(taskId, call));
        }

        @Override
        public void removeCall(String taskId) {
            KeyedState.run(() -> calls.remove(taskId));
        }

        @Override
        public Iterable<Map.Entry<String, Call>> calls() {
            return KeyedState.call(calls::entries);
        }

        @Override
        public ContactTask pendingCall(String taskId) {
            return KeyedState.call(() -> pending.get(taskId));
        }

        @Override
        public void putPendingCall(ContactTask task) {
            KeyedState.run(() -> pending.put(task.taskId(), task));
        }

        @Override
        public void removePendingCall(String taskId) {
            KeyedState.run(() -> pending.remove(taskId));
        }

        @Override
        public Iterable<ContactTask> pendingCalls() {
            return KeyedState.call(pending::values);
        }

        @Override
        public Long cancelledUnseen(String taskId) {
            return KeyedState.call(() -> cancelled.get(taskId));
        }

        @Override
        public void putCancelledUnseen(String taskId, long at) {
            KeyedState.run(() -> cancelled.put(taskId, at));
        }

        @Override
        public void removeCancelledUnseen(String taskId) {
            KeyedState.run(() -> cancelled.remove(taskId));
        }

        @Override
        public Iterable<Map.Entry<String, Long>> cancelledUnseen() {
            return KeyedState.call(cancelled::entries);
        }

        @Override
        public List<AssignmentInput> held(long at) {
            return KeyedState.call(() -> held.get(at));
        }

        @Override
        public void putHeld(long at, List<AssignmentInput> inputs) {
            KeyedState.run(() -> held.put(at, inputs));
        }

        @Override
        public void removeHeld(long at) {
            KeyedState.run(() -> held.remove(at));
        }

        @Override
        public boolean queueAlerted() {
            return Boolean.TRUE.equals(KeyedState.call(queueAlerted::value));
        }

        @Override
        public void setQueueAlerted(boolean alerted) {
            if (alerted) {
                KeyedState.run(() -> queueAlerted.update(true));
            } else {
                queueAlerted.clear();
            }
        }
    }
}

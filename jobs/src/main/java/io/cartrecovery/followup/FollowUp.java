package io.cartrecovery.followup;

import io.cartrecovery.compliance.ContactHistory;
import io.cartrecovery.compliance.ContactPolicy;
import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.keys.CustomerKey;
import io.cartrecovery.serialization.KeyTypes;
import io.cartrecovery.serialization.SerializerTypeInfo;
import io.cartrecovery.state.KeyedState;
import io.cartrecovery.state.MapView;
import io.cartrecovery.tasks.ContactTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The follow-up operator, keyed by customer ({@link io.cartrecovery.keys.Keys#customer}): runs
 * {@link FollowUpRules} over the customer's keyed state, turns the rules' wake-ups into event-time
 * timers and routes what they decide to the task stream and the side outputs. Every decision is the
 * rules'; this only loads and stores state, registers timers and routes results.
 */
public final class FollowUp extends KeyedProcessFunction<CustomerKey, FollowUpInput, ContactTask> {
    private static final long serialVersionUID = 1L;

    public static final String UID = "follow-up";

    public static final OutputTag<TaskEvent> TASK_EVENTS = new OutputTag<>("task-events") {};
    public static final OutputTag<Recovery> RECOVERIES = new OutputTag<>("recoveries") {};
    public static final OutputTag<HoldoutMembership> HOLDOUT = new OutputTag<>("holdout") {};
    public static final OutputTag<AttemptFact> ATTEMPTS = new OutputTag<>("attempts") {};

    /** Outcomes of unknown tasks, outcomes on another channel than their task's, and duplicates. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("rejected-outcomes") {};

    // The state's names and types are those of the version before the rules left this class:
    // savepoints restore (docs/state.md).
    public static final MapStateDescriptor<String, CartSequence> CARTS =
            new MapStateDescriptor<>(
                    "carts",
                    Types.STRING,
                    new SerializerTypeInfo<>(CartSequence.class, CartSequenceSerializer.INSTANCE));
    public static final ListStateDescriptor<FollowUpInput> PENDING =
            new ListStateDescriptor<>(
                    "pending",
                    new SerializerTypeInfo<>(
                            FollowUpInput.class, FollowUpInputSerializer.INSTANCE));
    static final ValueStateDescriptor<CustomerBlocks> BLOCKS =
            new ValueStateDescriptor<>("blocks", CustomerBlocks.class);
    static final MapStateDescriptor<String, Long> ORDERS =
            new MapStateDescriptor<>("orders", String.class, Long.class);
    static final MapStateDescriptor<String, Purchase> RECENT_PURCHASES =
            new MapStateDescriptor<>("recent-purchases", String.class, Purchase.class);
    static final ValueStateDescriptor<ContactHistory> HISTORY =
            new ValueStateDescriptor<>("contact-history", ContactHistory.class);

    private final FollowUpRules rules;

    private transient KeyedCustomerState state;

    /**
     * @param policy consent, do-not-contact, the contact window and the caps, applied to every
     *     attempt
     */
    public FollowUp(Cadence cadence, Duration firstContactSla, ContactPolicy policy) {
        this.rules = new FollowUpRules(cadence, firstContactSla, policy);
    }

    @Override
    public void open(OpenContext openContext) {
        state =
                new KeyedCustomerState(
                        getRuntimeContext().getMapState(CARTS),
                        getRuntimeContext().getListState(PENDING),
                        getRuntimeContext().getState(BLOCKS),
                        getRuntimeContext().getMapState(ORDERS),
                        getRuntimeContext().getState(HISTORY),
                        getRuntimeContext().getMapState(RECENT_PURCHASES));
    }

    @Override
    public void processElement(FollowUpInput input, Context ctx, Collector<ContactTask> out) {
        state.reset();
        rules.accept(state, input, ctx.timerService().currentWatermark(), new Routed(ctx, out));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ContactTask> out) {
        KeyTypes.requireTyped(ctx.getCurrentKey());
        state.reset();
        rules.advance(state, timestamp, new Routed(ctx, out));
    }

    /** The rules' effects, to the operator's outputs and timers. */
    private static final class Routed implements FollowUpEffects {
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
        public void taskEvent(TaskEvent event) {
            ctx.output(TASK_EVENTS, event);
        }

        @Override
        public void recovery(Recovery recovery) {
            ctx.output(RECOVERIES, recovery);
        }

        @Override
        public void holdout(HoldoutMembership membership) {
            ctx.output(HOLDOUT, membership);
        }

        @Override
        public void attempt(AttemptFact attempt) {
            ctx.output(ATTEMPTS, attempt);
        }

        @Override
        public void rejected(DeadLetter deadLetter) {
            ctx.output(DEAD_LETTERS, deadLetter);
        }

        @Override
        public void wakeAt(long at) {
            ctx.timerService().registerEventTimeTimer(at);
        }
    }

    /**
     * The customer's state in keyed state, one handle per part: a cart is read and written alone,
     * and a map's entries are read at most once per callback ({@link MapView}).
     */
    private static final class KeyedCustomerState implements CustomerState {
        private final MapView<String, CartSequence> carts;
        private final ListState<FollowUpInput> pending;
        private final ValueState<CustomerBlocks> blocks;
        private final MapView<String, Long> orders;
        private final ValueState<ContactHistory> history;
        private final MapView<String, Purchase> recentPurchases;

        KeyedCustomerState(
                MapState<String, CartSequence> carts,
                ListState<FollowUpInput> pending,
                ValueState<CustomerBlocks> blocks,
                MapState<String, Long> orders,
                ValueState<ContactHistory> history,
                MapState<String, Purchase> recentPurchases) {
            this.carts = new MapView<>(carts);
            this.pending = pending;
            this.blocks = blocks;
            this.orders = new MapView<>(orders);
            this.history = history;
            this.recentPurchases = new MapView<>(recentPurchases);
        }

        /** At the start of each callback: what was read belongs to the key of the last one. */
        void reset() {
            carts.reset();
            orders.reset();
            recentPurchases.reset();
        }

        @Override
        public CartSequence cart(String cartId) {
            return carts.get(cartId);
        }

        @Override
        public void putCart(String cartId, CartSequence sequence) {
            carts.put(cartId, sequence);
        }

        @Override
        public void removeCart(String cartId) {
            carts.remove(cartId);
        }

        @Override
        public Iterable<Map.Entry<String, CartSequence>> carts() {
            return carts.entries();
        }

        @Override
        public List<FollowUpInput> pending() {
            List<FollowUpInput> all = new ArrayList<>();
            Iterable<FollowUpInput> stored = KeyedState.call(pending::get);
            if (stored != null) {
                stored.forEach(all::add);
            }
            return all;
        }

        @Override
        public void addPending(FollowUpInput input) {
            KeyedState.run(() -> pending.add(input));
        }

        @Override
        public void setPending(List<FollowUpInput> inputs) {
            KeyedState.run(() -> pending.update(inputs));
        }

        @Override
        public CustomerBlocks blocks() {
            return KeyedState.call(blocks::value);
        }

        @Override
        public void setBlocks(CustomerBlocks value) {
            KeyedState.run(() -> blocks.update(value));
        }

        @Override
        public boolean hasOrder(String orderKey) {
            return orders.contains(orderKey);
        }

        @Override
        public void putOrder(String orderKey, long at) {
            orders.put(orderKey, at);
        }

        @Override
        public void removeOrder(String orderKey) {
            orders.remove(orderKey);
        }

        @Override
        public void clearOrders() {
            orders.clear();
        }

        @Override
        public ContactHistory history() {
            return KeyedState.call(history::value);
        }

        @Override
        public void setHistory(ContactHistory value) {
            KeyedState.run(() -> history.update(value));
        }

        @Override
        public void clearHistory() {
            history.clear();
        }

        @Override
        public Purchase recentPurchase(String orderKey) {
            return recentPurchases.get(orderKey);
        }

        @Override
        public void putRecentPurchase(String orderKey, Purchase purchase) {
            recentPurchases.put(orderKey, purchase);
        }

        @Override
        public void removeRecentPurchase(String orderKey) {
            recentPurchases.remove(orderKey);
        }

        @Override
        public Iterable<Map.Entry<String, Purchase>> recentPurchases() {
            return recentPurchases.entries();
        }
    }
}

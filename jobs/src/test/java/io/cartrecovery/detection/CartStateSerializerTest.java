package io.cartrecovery.detection;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.Events.event;
import static io.cartrecovery.testing.Events.minutes;
import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.config.JobSettings;
import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.ContactDetails;
import io.cartrecovery.events.EventType;
import io.cartrecovery.events.Stage;
import io.cartrecovery.keys.TrackedCartKey;
import io.cartrecovery.serialization.Compact;
import io.cartrecovery.serialization.KeyTypes;
import io.cartrecovery.testing.RoundTrip;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

class CartStateSerializerTest {
    private static final TrackedCartKey KEY = add("p1", 1, "1").build().trackedCart();

    static CartState fullCart() {
        CartState state = new CartState();
        state.cartId = "c-1";
        state.storeId = "shop-1";
        state.customerId = "cust-1";
        state.anonymousId = "anon-1";
        state.currency = "EUR";
        state.items =
                new ArrayList<>(List.of(new CartLine("p1", "Mug", 2, new BigDecimal("9.50"))));
        state.stage = Stage.SHIPPING;
        state.reason = ReasonHint.PAYMENT_PROBLEM;
        state.shippingCost = new BigDecimal("4.90");
        state.openedAt = minutes(0);
        state.lastActivity = minutes(3);
        state.deadline = minutes(13);
        state.deadlineTimer = minutes(10);
        state.abandoned = true;
        state.taskOut = true;
        state.views = 7;
        state.viewedProducts = new int[] {1, -2, 3};
        state.firstSeenAt = minutes(-1);
        state.checkoutSteps = 6;
        state.errors = 1;
        state.identified = new ContactDetails("Ana", null, "+34600000000");
        state.checkoutStarts = new long[] {minutes(1)};
        state.costShownAt = minutes(2);
        state.held = new ArrayList<>(List.of(event(EventType.PAGE_VIEW).atMinute(4).build()));
        state.heldSignals =
                new ArrayList<>(
                        List.of(new ReasonSignal(KEY, ReasonHint.PAYMENT_PROBLEM, 1, minutes(5))));
        state.seenIds = new long[] {42, minutes(60)};
        return state;
    }

    @Test
    void everyFieldComesBackAsItWentAndTheCopyIsDeep() throws Exception {
        CartState full = fullCart();
        CartState read = RoundTrip.of(CartStateSerializer.INSTANCE, full);
        assertThat(read).usingRecursiveComparison().isEqualTo(full);
        CartState empty = new CartState();
        assertThat(RoundTrip.of(CartStateSerializer.INSTANCE, empty))
                .usingRecursiveComparison()
                .isEqualTo(empty);

        CartState copy = CartStateSerializer.INSTANCE.copy(full);
        assertThat(copy).usingRecursiveComparison().isEqualTo(full);
        copy.items.add(new CartLine("p2", null, 1, null));
        copy.held.clear();
        assertThat(full.items).hasSize(1);
        assertThat(full.held).hasSize(1);
    }

    @Test
    void formatTwoKeepsEveryValueOfTheEdges() throws Exception {
        CartState full = fullCart();
        full.cartId = "0f8fad5b-d9cb-469f-a165-70867728950e";
        full.customerId = "Ünïcode-ķlient";
        full.anonymousId = "0F8FAD5B-D9CB-469F-A165-70867728950E"; // upper case: kept as text
        full.shippingCost = new BigDecimal("123456789012345678901234567890.12");
        full.items.add(new CartLine("p-neg", null, Integer.MAX_VALUE, new BigDecimal("-0.001")));
        full.deadline = 0;
        full.checkoutStarts = new long[] {minutes(5), minutes(1), minutes(-3)};
        full.viewedProducts = new int[0];
        full.held =
                new ArrayList<>(
                        List.of(
                                event(EventType.PAGE_VIEW).atMinute(4).build(),
                                add("p2", 3, "1.25").atMinute(2).build(),
                                event(EventType.PURCHASE).atMinute(6).build()));
        full.seenIds = new long[] {-1, minutes(60), Long.MIN_VALUE, minutes(45), 7, minutes(75)};
        assertThat(RoundTrip.of(CartStateSerializer.INSTANCE, full))
                .usingRecursiveComparison()
                .isEqualTo(full);

        // A key without a cart: a visitor's held events and ids only.
        CartState visitor = new CartState();
        visitor.held = new ArrayList<>(List.of(event(EventType.PAGE_VIEW).atMinute(4).build()));
        visitor.seenIds = new long[] {99, minutes(60)};
        visitor.deadlineTimer = minutes(5);
        assertThat(RoundTrip.of(CartStateSerializer.INSTANCE, visitor))
                .usingRecursiveComparison()
                .isEqualTo(visitor);
    }

    @Test
    void formatTwoIsAboutHalfOfFormatOne() throws Exception {
        CartState full = fullCart();
        full.seenIds = new long[] {1, minutes(60), 2, minutes(60), 3, minutes(75), 4, minutes(75)};
        int before = bytes(CartStateSerializer.Format1.INSTANCE, full);
        int after = bytes(CartStateSerializer.INSTANCE, full);
        assertThat(after).isLessThan(before * 6 / 10);
        CartState visitor = new CartState();
        visitor.seenIds = new long[] {99, minutes(60)};
        assertThat(bytes(CartStateSerializer.INSTANCE, visitor))
                .isLessThan(bytes(CartStateSerializer.Format1.INSTANCE, visitor) / 4);
    }

    @Test
    void everyConstantHasItsCode() {
        assertThat(Compact.STAGES)
                .containsAll(java.util.Arrays.stream(Stage.values()).map(Enum::name).toList());
        assertThat(Compact.REASONS)
                .containsAll(java.util.Arrays.stream(ReasonHint.values()).map(Enum::name).toList());
        assertThat(Compact.EVENT_TYPES)
                .containsAll(java.util.Arrays.stream(EventType.values()).map(Enum::name).toList());
    }

    private static int bytes(
            org.apache.flink.api.common.typeutils.TypeSerializer<CartState> serializer,
            CartState state)
            throws Exception {
        var out = new org.apache.flink.core.memory.DataOutputSerializer(256);
        serializer.serialize(state, out);
        return out.length();
    }

    /** Keeps the tracker's value in format 1, as the version before this one did. */
    static final class FormatOneTracker
            extends KeyedProcessFunction<TrackedCartKey, CartState, Void> {
        private transient ValueState<CartState> cart;

        @Override
        public void open(OpenContext context) {
            cart =
                    getRuntimeContext()
                            .getState(
                                    new ValueStateDescriptor<>(
                                            "cart", CartStateSerializer.Format1.INSTANCE));
        }

        @Override
        public void processElement(CartState value, Context ctx, Collector<Void> out)
                throws Exception {
            cart.update(value);
            ctx.timerService().registerEventTimeTimer(value.deadlineTimer);
        }
    }

    @Test
    void aCartKeptInFormatOneIsMigratedOnRestore() throws Exception {
        for (boolean rocksDb : new boolean[] {true, false}) {
            // A cart opened at minute 0, quiet since 3, due at 13, its page view of minute 3 held.
            CartState older = new CartState();
            older.cartId = "customer/cust-1/" + minutes(0);
            older.storeId = "shop-1";
            older.customerId = "cust-1";
            older.currency = "EUR";
            older.items =
                    new ArrayList<>(List.of(new CartLine("p1", "Mug", 1, new BigDecimal("5"))));
            older.stage = Stage.CART;
            older.openedAt = minutes(0);
            older.lastActivity = minutes(2);
            older.firstSeenAt = minutes(0);
            older.deadline = minutes(12);
            older.deadlineTimer = minutes(12);
            older.held =
                    new ArrayList<>(
                            List.of(
                                    event(EventType.PAGE_VIEW)
                                            .customer("cust-1")
                                            .atMinute(3)
                                            .build()));
            older.seenIds = new long[] {1, minutes(60)};

            OperatorSubtaskState snapshot;
            var before =
                    new KeyedOneInputStreamOperatorTestHarness<>(
                            new KeyedProcessOperator<>(new FormatOneTracker()),
                            c -> KEY,
                            KeyTypes.TRACKED_CART);
            try {
                if (rocksDb) {
                    before.setStateBackend(new EmbeddedRocksDBStateBackend());
                }
                before.open();
                before.processElement(new StreamRecord<>(older, minutes(3)));
                snapshot = before.snapshot(1, 1);
            } finally {
                before.close();
            }

            var after =
                    new KeyedTwoInputStreamOperatorTestHarness<
                            TrackedCartKey,
                            io.cartrecovery.events.ClickEvent,
                            ReasonSignal,
                            AbandonedCart>(
                            new KeyedCoProcessOperator<>(new CartTracker(JobSettings.defaults())),
                            e -> e.trackedCart(),
                            ReasonSignal::cart,
                            KeyTypes.TRACKED_CART);
            try {
                if (rocksDb) {
                    after.setStateBackend(new EmbeddedRocksDBStateBackend());
                }
                after.initializeState(snapshot);
                after.open();
                // The held page view applies, so the cart's gap runs from minute 3.
                after.processBothWatermarks(new Watermark(minutes(12)));
                assertThat(after.extractOutputValues()).isEmpty();
                after.processBothWatermarks(new Watermark(minutes(13)));
                assertThat(after.extractOutputValues())
                        .as(rocksDb ? "RocksDB" : "heap")
                        .singleElement()
                        .satisfies(
                                cart -> {
                                    assertThat(cart.cartId()).isEqualTo(older.cartId);
                                    assertThat(cart.abandonedAt()).isEqualTo(minutes(3));
                                });
            } finally {
                after.close();
            }
        }
    }

    /**
     * Keeps a cart as the version before kept it: in Flink's POJO serializer, with its timer at the
     * deadline, under the string key of the versions before keys had types (RocksDB restores it as
     * the typed key: {@code KeySerializerTest}).
     */
    static final class OlderTracker extends KeyedProcessFunction<String, CartState, Void> {
        private transient ValueState<CartState> cart;

        @Override
        public void open(OpenContext context) {
            cart =
                    getRuntimeContext()
                            .getState(new ValueStateDescriptor<>("cart", CartState.class));
        }

        @Override
        public void processElement(CartState value, Context ctx, Collector<Void> out)
                throws Exception {
            cart.update(value);
            ctx.timerService().registerEventTimeTimer(value.deadline);
        }
    }

    @Test
    void aCartKeptByThePojoSerializerIsMigratedOnRestore() throws Exception {
        // A cart opened at minute 0, quiet since minute 3, due at 13, as the previous version
        // stored it (no held events, no ids, its timer at the deadline).
        CartState older = new CartState();
        older.cartId = "customer/cust-1/" + minutes(0);
        older.storeId = "shop-1";
        older.customerId = "cust-1";
        older.currency = "EUR";
        older.items = new ArrayList<>(List.of(new CartLine("p1", "Mug", 1, new BigDecimal("5"))));
        older.stage = Stage.CART;
        older.openedAt = minutes(0);
        older.lastActivity = minutes(3);
        older.firstSeenAt = minutes(0);
        older.deadline = minutes(13);

        OperatorSubtaskState snapshot;
        var before =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new OlderTracker()),
                        c -> KEY.value(),
                        Types.STRING);
        try {
            before.setStateBackend(new EmbeddedRocksDBStateBackend());
            before.open();
            before.processElement(new StreamRecord<>(older, minutes(3)));
            snapshot = before.snapshot(1, 1);
        } finally {
            before.close();
        }

        var after =
                new KeyedTwoInputStreamOperatorTestHarness<
                        TrackedCartKey,
                        io.cartrecovery.events.ClickEvent,
                        ReasonSignal,
                        AbandonedCart>(
                        new KeyedCoProcessOperator<>(new CartTracker(JobSettings.defaults())),
                        e -> e.trackedCart(),
                        ReasonSignal::cart,
                        KeyTypes.TRACKED_CART);
        try {
            after.setStateBackend(new EmbeddedRocksDBStateBackend());
            after.initializeState(snapshot);
            after.open();
            // Its next event and the watermark past its new deadline: the restored cart goes on.
            after.processElement1(
                    new StreamRecord<>(add("p2", 1, "2").atMinute(4).build(), minutes(4)));
            after.processBothWatermarks(new Watermark(minutes(4) + 1));
            after.processBothWatermarks(new Watermark(minutes(60)));
            assertThat(after.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            cart -> {
                                assertThat(cart.cartId()).isEqualTo(older.cartId);
                                assertThat(cart.items()).hasSize(2);
                                assertThat(cart.abandonedAt()).isEqualTo(minutes(4));
                            });
        } finally {
            after.close();
        }
    }
}

package io.cartrecovery.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrecovery.keys.CustomerKey;
import io.cartrecovery.keys.Keys;
import io.cartrecovery.keys.TrackedCartKey;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * Typed state keys keep the checkpoints of the versions whose keys were strings: the same bytes and
 * key groups, state and timers restored under the typed key with RocksDB; on the heap, where Flink
 * reads timers back with the serializer that wrote them, the first such timer stops the job with
 * the way through, instead of firing under a key that owns no state.
 */
class KeySerializerTest {
    private static final String CART = "shop-1/cart/c-1";

    @Test
    void aKeyIsWrittenAndGroupedAsItsString() throws Exception {
        TrackedCartKey key = Keys.trackedCart("shop-1", "c-1", "cust-1", "anon-1");
        assertThat(key.value()).isEqualTo(CART);
        DataOutputSerializer typed = new DataOutputSerializer(64);
        new KeySerializer<>(TrackedCartKey.class).serialize(key, typed);
        DataOutputSerializer plain = new DataOutputSerializer(64);
        StringSerializer.INSTANCE.serialize(CART, plain);
        assertThat(typed.getCopyOfBuffer()).isEqualTo(plain.getCopyOfBuffer());
        for (int maxParallelism : new int[] {128, 1024}) {
            assertThat(KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism))
                    .isEqualTo(KeyGroupRangeAssignment.assignToKeyGroup(CART, maxParallelism));
        }
        assertThat(RoundTripOf.key(key)).isEqualTo(key);
    }

    @Test
    void keysOfDifferentConceptsAreNeverEqual() {
        assertThat(new CustomerKey("x")).isNotEqualTo(new TrackedCartKey("x"));
        assertThat(KeyTypes.CUSTOMER).isNotEqualTo(KeyTypes.TRACKED_CART);
    }

    /**
     * Keeps a value per key and a timer at minute 10, as the tracker keeps a cart and its deadline.
     */
    static final class Keeper<K> extends KeyedProcessFunction<K, String, String> {
        private transient ValueState<String> value;

        @Override
        public void open(OpenContext context) {
            value = getRuntimeContext().getState(new ValueStateDescriptor<>("value", Types.STRING));
        }

        @Override
        public void processElement(String in, Context ctx, Collector<String> out) throws Exception {
            value.update(in);
            ctx.timerService().registerEventTimeTimer(600_000L);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out)
                throws Exception {
            KeyTypes.requireTyped(ctx.getCurrentKey());
            out.collect(ctx.getCurrentKey() + " " + value.value());
        }
    }

    private static <K> KeyedOneInputStreamOperatorTestHarness<K, String, String> harness(
            KeySelector<String, K> key, TypeInformation<K> type, boolean rocksDb) throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new Keeper<K>()), key, type);
        if (rocksDb) {
            harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        return harness;
    }

    /**
     * A cart's value and timer, kept under the string key of the version before, in a savepoint of
     * Flink's canonical format (which any state backend restores).
     */
    private static OperatorSubtaskState keptByTheVersionBefore(boolean rocksDb) throws Exception {
        var before = harness(in -> CART, Types.STRING, rocksDb);
        try {
            before.open();
            before.processElement(new StreamRecord<>("kept", 0));
            return before.snapshotWithLocalState(
                            1, 1, SavepointType.savepoint(SavepointFormatType.CANONICAL))
                    .getJobManagerOwnedState();
        } finally {
            before.close();
        }
    }

    private static List<String> restoredTyped(OperatorSubtaskState state, boolean rocksDb)
            throws Exception {
        var after = harness(in -> new TrackedCartKey(CART), KeyTypes.TRACKED_CART, rocksDb);
        try {
            after.initializeState(state);
            after.open();
            after.processWatermark(600_000L);
            return after.extractOutputValues();
        } finally {
            after.close();
        }
    }

    @Test
    void rocksDbRestoresStringKeyedStateAndTimersUnderTheTypedKey() throws Exception {
        assertThat(restoredTyped(keptByTheVersionBefore(true), true))
                .containsExactly(CART + " kept");
    }

    @Test
    void onTheHeapAStringKeyedTimerStopsTheJobWithTheWayThrough() throws Exception {
        OperatorSubtaskState heap = keptByTheVersionBefore(false);
        assertThatThrownBy(() -> restoredTyped(heap, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("state.backend.type: rocksdb");
    }

    @Test
    void aHeapSavepointGoesThroughRocksDbOnceAndBackToTheHeap() throws Exception {
        OperatorSubtaskState heap = keptByTheVersionBefore(false);
        var once = harness(in -> new TrackedCartKey(CART), KeyTypes.TRACKED_CART, true);
        OperatorSubtaskState typed;
        try {
            once.initializeState(heap);
            once.open();
            typed =
                    once.snapshotWithLocalState(
                                    2, 2, SavepointType.savepoint(SavepointFormatType.CANONICAL))
                            .getJobManagerOwnedState();
        } finally {
            once.close();
        }
        assertThat(restoredTyped(typed, false)).containsExactly(CART + " kept");
    }

    /** A key through its serializer and back. */
    private static final class RoundTripOf {
        static TrackedCartKey key(TrackedCartKey key) throws Exception {
            return io.cartrecovery.testing.RoundTrip.of(
                    new KeySerializer<>(TrackedCartKey.class), key);
        }
    }
}

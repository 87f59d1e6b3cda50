package io.cartrecovery.detection;

import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.Stage;
import io.cartrecovery.serialization.ClickEventSerializer;
import io.cartrecovery.serialization.Fields;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The cart tracker's keyed value, read and written once per event: with RocksDB, Flink's reflective
 * POJO serializer was the largest cost of the tracker (docs/PERFORMANCE.md). Written by hand, field
 * by field.
 *
 * <p>Upgrades: state written by a version that kept {@link CartState} with Flink's POJO serializer
 * is migrated on restore (read with the old serializer, written with this one), as its snapshot
 * answers {@link TypeSerializerSchemaCompatibility#compatibleAfterMigration()} to a POJO snapshot.
 * A change of the fields below is a new snapshot version that reads the old one.
 */
public final class CartStateSerializer extends TypeSerializerSingleton<CartState> {
    private static final long serialVersionUID = 1L;

    public static final CartStateSerializer INSTANCE = new CartStateSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public CartState createInstance() {
        return new CartState();
    }

    /** A deep copy, through the serialized form: the value is changed in place by the tracker. */
    @Override
    public CartState copy(CartState from) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(256);
            serialize(from, out);
            return deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy a cart's state", e);
        }
    }

    @Override
    public CartState copy(CartState from, CartState reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(CartState state, DataOutputView out) throws IOException {
        Fields.writeString(state.cartId, out);
        Fields.writeString(state.storeId, out);
        Fields.writeString(state.customerId, out);
        Fields.writeString(state.anonymousId, out);
        Fields.writeString(state.currency, out);
        Fields.writeLines(state.items, out);
        Fields.writeEnum(state.stage, out);
        Fields.writeEnum(state.reason, out);
        Fields.writeDecimal(state.shippingCost, out);
        out.writeLong(state.openedAt);
        out.writeLong(state.lastActivity);
        out.writeLong(state.deadline);
        out.writeLong(state.deadlineTimer);
        out.writeBoolean(state.abandoned);
        out.writeBoolean(state.taskOut);
        out.writeInt(state.views);
        Fields.writeInts(state.viewedProducts, out);
        out.writeLong(state.firstSeenAt);
        out.writeInt(state.checkoutSteps);
        out.writeInt(state.errors);
        Fields.writeContact(state.identified, out);
        Fields.writeLongs(state.checkoutStarts, out);
        out.writeLong(state.costShownAt);
        writeEvents(state.held, out);
        writeSignals(state.heldSignals, out);
        Fields.writeLongs(state.seenIds, out);
    }

    @Override
    public CartState deserialize(DataInputView in) throws IOException {
        CartState state = new CartState();
        state.cartId = Fields.readString(in);
        state.storeId = Fields.readString(in);
        state.customerId = Fields.readString(in);
        state.anonymousId = Fields.readString(in);
        state.currency = Fields.readString(in);
        state.items = Fields.readLines(in, true);
        state.stage = Fields.readEnum(Stage.class, in);
        state.reason = Fields.readEnum(ReasonHint.class, in);
        state.shippingCost = Fields.readDecimal(in);
        state.openedAt = in.readLong();
        state.lastActivity = in.readLong();
        state.deadline = in.readLong();
        state.deadlineTimer = in.readLong();
        state.abandoned = in.readBoolean();
        state.taskOut = in.readBoolean();
        state.views = in.readInt();
        state.viewedProducts = Fields.readInts(in);
        state.firstSeenAt = in.readLong();
        state.checkoutSteps = in.readInt();
        state.errors = in.readInt();
        state.identified = Fields.readContact(in);
        state.checkoutStarts = Fields.readLongs(in);
        state.costShownAt = in.readLong();
        state.held = readEvents(in);
        state.heldSignals = readSignals(in);
        state.seenIds = Fields.readLongs(in);
        return state;
    }

    private static void writeEvents(List<ClickEvent> events, DataOutputView out)
            throws IOException {
        out.writeInt(events == null ? -1 : events.size());
        if (events != null) {
            for (ClickEvent event : events) {
                ClickEventSerializer.INSTANCE.serialize(event, out);
            }
        }
    }

    private static List<ClickEvent> readEvents(DataInputView in) throws IOException {
        int size = in.readInt();
        if (size < 0) {
            return null;
        }
        List<ClickEvent> events = new ArrayList<>(size + 1);
        for (int i = 0; i < size; i++) {
            events.add(ClickEventSerializer.INSTANCE.deserialize(in));
        }
        return events;
    }

    private static void writeSignals(List<ReasonSignal> signals, DataOutputView out)
            throws IOException {
        out.writeInt(signals == null ? -1 : signals.size());
        if (signals != null) {
            for (ReasonSignal signal : signals) {
                Fields.writeString(signal.cartKey(), out);
                Fields.writeEnum(signal.reason(), out);
                out.writeLong(signal.firstEventTime());
                out.writeLong(signal.effectiveTime());
            }
        }
    }

    private static List<ReasonSignal> readSignals(DataInputView in) throws IOException {
        int size = in.readInt();
        if (size < 0) {
            return null;
        }
        List<ReasonSignal> signals = new ArrayList<>(size + 1);
        for (int i = 0; i < size; i++) {
            signals.add(
                    new ReasonSignal(
                            Fields.readString(in),
                            Fields.readEnum(ReasonHint.class, in),
                            in.readLong(),
                            in.readLong()));
        }
        return signals;
    }

    @Override
    public CartState deserialize(CartState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<CartState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1: the fields above, in that order; migrates state of the POJO serializer. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<CartState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<CartState> resolveSchemaCompatibility(
                TypeSerializerSnapshot<CartState> oldSnapshot) {
            if (oldSnapshot instanceof PojoSerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(oldSnapshot);
        }
    }
}

package io.cartrecovery.detection;

import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.Stage;
import io.cartrecovery.keys.TrackedCartKey;
import io.cartrecovery.serialization.ClickEventSerializer;
import io.cartrecovery.serialization.Compact;
import io.cartrecovery.serialization.Fields;
import io.cartrecovery.serialization.StateFormatSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The cart tracker's keyed value, read and written once per event: with RocksDB, Flink's reflective
 * POJO serializer was the largest cost of the tracker (docs/PERFORMANCE.md). Written by hand, field
 * by field.
 *
 * <p>Format 2 (issue 16, session 8): the value is kept for every cart key for as long as the cart
 * is tracked (days after abandonment), so it is written compactly ({@link Compact}): numbers and
 * times as variable-length deltas, decimals as scale and unscaled long, UUIDs as 16 bytes, none of
 * the cart's fields when the key has no cart (a visitor who only browses keeps only the ids seen),
 * held events without the ids they share with the cart ({@link HeldEvents}), the ids' expiries as
 * deltas. Against format 1 (every field at full width) that is about half the bytes as written,
 * which is what heap checkpoints hold; RocksDB compresses its blocks, which had taken much of
 * format 1's zeros already (docs/PERFORMANCE.md, fifth round).
 *
 * <p>Upgrades: state written by an older version is migrated on restore (read with the old
 * serializer, written with this one), as {@link Snapshot} answers {@link
 * TypeSerializerSchemaCompatibility#compatibleAfterMigration()} to a snapshot of format 1 ({@link
 * Format1}) or of Flink's POJO serializer. A change of the fields below is a new format version
 * whose snapshot reads the old one.
 */
public final class CartStateSerializer extends StateFormatSerializer<CartState> {
    private static final long serialVersionUID = 1L;

    public static final CartStateSerializer INSTANCE = new CartStateSerializer();

    private CartStateSerializer() {
        super(false);
    }

    // Format 2's first byte.
    private static final int HAS_CART = 1;
    private static final int ABANDONED = 2;
    private static final int TASK_OUT = 4;

    @Override
    public CartState createInstance() {
        return new CartState();
    }

    @Override
    public void serialize(CartState state, DataOutputView out) throws IOException {
        int flags =
                (state.hasCart() ? HAS_CART : 0)
                        | (state.abandoned ? ABANDONED : 0)
                        | (state.taskOut ? TASK_OUT : 0);
        out.writeByte(flags);
        long base = state.hasCart() ? state.openedAt : 0;
        if (state.hasCart()) {
            Compact.writeString(state.cartId, out);
            Compact.writeString(state.storeId, out);
            Compact.writeString(state.customerId, out);
            Compact.writeString(state.anonymousId, out);
            Compact.writeString(state.currency, out);
            Compact.writeLines(state.items, out);
            Compact.writeEnum(state.stage, Compact.STAGES, out);
            Compact.writeEnum(state.reason, Compact.REASONS, out);
            Compact.writeDecimal(state.shippingCost, out);
            Compact.writeLong(state.openedAt, out);
            Compact.writeTime(state.lastActivity, base, out);
            Compact.writeTime(state.deadline, base, out);
            Compact.writeCount(state.views, out);
            Compact.writeInts(state.viewedProducts, out);
            Compact.writeTime(state.firstSeenAt, base, out);
            Compact.writeCount(state.checkoutSteps, out);
            Compact.writeCount(state.errors, out);
            Compact.writeContact(state.identified, out);
            Compact.writeTimes(state.checkoutStarts, base, out);
            Compact.writeTime(state.costShownAt, base, out);
        }
        Compact.writeTime(state.deadlineTimer, base, out);
        HeldEvents.write(state, base, out);
        writeSignals(state.heldSignals, out);
        writeSeenIds(state.seenIds, out);
    }

    @Override
    public CartState deserialize(DataInputView in) throws IOException {
        CartState state = new CartState();
        int flags = in.readUnsignedByte();
        state.abandoned = (flags & ABANDONED) != 0;
        state.taskOut = (flags & TASK_OUT) != 0;
        long base = 0;
        if ((flags & HAS_CART) != 0) {
            state.cartId = Compact.readString(in);
            state.storeId = Compact.readString(in);
            state.customerId = Compact.readString(in);
            state.anonymousId = Compact.readString(in);
            state.currency = Compact.readString(in);
            state.items = Compact.readLines(in, true);
            state.stage = Compact.readEnum(Stage.class, Compact.STAGES, in);
            state.reason = Compact.readEnum(ReasonHint.class, Compact.REASONS, in);
            state.shippingCost = Compact.readDecimal(in);
            state.openedAt = Compact.readLong(in);
            base = state.openedAt;
            state.lastActivity = Compact.readTime(base, in);
            state.deadline = Compact.readTime(base, in);
            state.views = Compact.readCount(in);
            state.viewedProducts = Compact.readInts(in);
            state.firstSeenAt = Compact.readTime(base, in);
            state.checkoutSteps = Compact.readCount(in);
            state.errors = Compact.readCount(in);
            state.identified = Compact.readContact(in);
            state.checkoutStarts = Compact.readTimes(base, in);
            state.costShownAt = Compact.readTime(base, in);
        }
        state.deadlineTimer = Compact.readTime(base, in);
        state.held = HeldEvents.read(state, base, in);
        state.heldSignals = readSignals(in);
        state.seenIds = readSeenIds(in);
        return state;
    }

    private static void writeSignals(List<ReasonSignal> signals, DataOutputView out)
            throws IOException {
        Compact.writeCount(signals == null ? 0 : signals.size() + 1, out);
        if (signals != null) {
            for (ReasonSignal signal : signals) {
                Compact.writeString(signal.cart().value(), out);
                Compact.writeEnum(signal.reason(), Compact.REASONS, out);
                Compact.writeLong(signal.firstEventTime(), out);
                Compact.writeLong(signal.effectiveTime() - signal.firstEventTime(), out);
            }
        }
    }

    private static List<ReasonSignal> readSignals(DataInputView in) throws IOException {
        int header = Compact.readCount(in);
        if (header == 0) {
            return null;
        }
        List<ReasonSignal> signals = new ArrayList<>(header);
        for (int i = 0; i < header - 1; i++) {
            TrackedCartKey cart = new TrackedCartKey(Compact.readString(in));
            ReasonHint reason = Compact.readEnum(ReasonHint.class, Compact.REASONS, in);
            long first = Compact.readLong(in);
            signals.add(new ReasonSignal(cart, reason, first, first + Compact.readLong(in)));
        }
        return signals;
    }

    /**
     * The ids' 64-bit fingerprints as they are, each expiry relative to the one before: expiries
     * are rounded to a quarter of the retention ({@code DedupExpiry}), so most take one byte.
     */
    private static void writeSeenIds(long[] seen, DataOutputView out) throws IOException {
        Compact.writeCount(seen == null ? 0 : seen.length / 2 + 1, out);
        if (seen != null) {
            long previous = 0;
            for (int i = 0; i < seen.length; i += 2) {
                out.writeLong(seen[i]);
                Compact.writeLong(seen[i + 1] - previous, out);
                previous = seen[i + 1];
            }
        }
    }

    private static long[] readSeenIds(DataInputView in) throws IOException {
        int header = Compact.readCount(in);
        if (header == 0) {
            return null;
        }
        long[] seen = new long[2 * (header - 1)];
        long previous = 0;
        for (int i = 0; i < seen.length; i += 2) {
            seen[i] = in.readLong();
            previous += Compact.readLong(in);
            seen[i + 1] = previous;
        }
        return seen;
    }

    @Override
    public TypeSerializerSnapshot<CartState> snapshotConfiguration() {
        return new Snapshot();
    }

    /**
     * The format's version: {@link #FORMAT_1} (written until issue 16, session 8, by {@link
     * Format1}: every field at its full width) or {@link #FORMAT_2} (this serializer: {@link
     * Compact}, no cart fields without a cart, slim held events). A snapshot read from a checkpoint
     * restores the serializer of its version, which reads the old values for Flink to migrate;
     * state of Flink's POJO serializer (before session 7) migrates the same way.
     */
    public static final class Snapshot implements TypeSerializerSnapshot<CartState> {
        /**
         * Format 1's snapshot was a {@code SimpleTypeSerializerSnapshot}, which wrote its own
         * version (3) and nothing else.
         */
        static final int FORMAT_1 = 3;

        static final int FORMAT_2 = 4;

        private int version;

        /** The current format; Flink then reads the stored version in {@link #readSnapshot}. */
        public Snapshot() {
            this(FORMAT_2);
        }

        Snapshot(int version) {
            this.version = version;
        }

        @Override
        public int getCurrentVersion() {
            return version;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {}

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
                throws IOException {
            if (readVersion != FORMAT_1 && readVersion != FORMAT_2) {
                throw new IOException("unknown version " + readVersion + " of the cart state");
            }
            version = readVersion;
        }

        @Override
        public TypeSerializer<CartState> restoreSerializer() {
            return version == FORMAT_1 ? Format1.INSTANCE : INSTANCE;
        }

        @Override
        public TypeSerializerSchemaCompatibility<CartState> resolveSchemaCompatibility(
                TypeSerializerSnapshot<CartState> oldSnapshot) {
            if (oldSnapshot instanceof PojoSerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            if (oldSnapshot instanceof Snapshot old) {
                return old.version == version
                        ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                        : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return TypeSerializerSchemaCompatibility.incompatible();
        }
    }

    /**
     * Format 1, as written from issue 16's session 7 until format 2: kept to read checkpoints of
     * that version on restore (and to write them in tests).
     */
    static final class Format1 extends StateFormatSerializer<CartState> {
        private static final long serialVersionUID = 1L;

        static final Format1 INSTANCE = new Format1();

        private Format1() {
            super(false);
        }

        @Override
        public CartState createInstance() {
            return new CartState();
        }

        @Override
        public TypeSerializerSnapshot<CartState> snapshotConfiguration() {
            return new CartStateSerializer.Snapshot(CartStateSerializer.Snapshot.FORMAT_1);
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
                    Fields.writeString(signal.cart().value(), out);
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
                                new TrackedCartKey(Fields.readString(in)),
                                Fields.readEnum(ReasonHint.class, in),
                                in.readLong(),
                                in.readLong()));
            }
            return signals;
        }
    }
}

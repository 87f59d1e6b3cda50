package io.cartrecovery.enrich;

import io.cartrecovery.enrich.CartEnricher.WaitingCart;
import io.cartrecovery.serialization.Compact;
import io.cartrecovery.serialization.StateFormatSerializer;
import io.cartrecovery.serialization.TaskFormat;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A cart waiting in {@link CartEnricher} for the profiles read at the start, in {@link TaskFormat}
 * (format 1). Before it, Flink's POJO serializer wrote it (docs/state.md, "Upgrades").
 */
public final class WaitingCartSerializer extends StateFormatSerializer<WaitingCart> {
    private static final long serialVersionUID = 1L;

    public static final WaitingCartSerializer INSTANCE = new WaitingCartSerializer();

    private static final int FORMAT_1 = 1;

    private WaitingCartSerializer() {
        super(true);
    }

    @Override
    public void serialize(WaitingCart waiting, DataOutputView out) throws IOException {
        TaskFormat.writeCart(waiting.cart(), out);
        Compact.writeLong(waiting.at(), out);
    }

    @Override
    public WaitingCart deserialize(DataInputView in) throws IOException {
        return new WaitingCart(TaskFormat.readCart(in), Compact.readLong(in));
    }

    @Override
    public TypeSerializerSnapshot<WaitingCart> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format 1's snapshot. */
    public static final class Snapshot extends StateFormatSerializer.Snapshot<WaitingCart> {
        public Snapshot() {
            super(INSTANCE, FORMAT_1);
        }
    }
}

package io.cartrecovery.followup;

import io.cartrecovery.serialization.Compact;
import io.cartrecovery.serialization.StateFormatSerializer;
import io.cartrecovery.serialization.TaskFormat;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * An input of the follow-up waiting for event time ({@link FollowUp}'s {@code pending}), in {@link
 * TaskFormat} (format 1). Before it, Flink's POJO serializer wrote the enriched cart and the
 * outcome field by field (docs/state.md, "Upgrades").
 */
public final class FollowUpInputSerializer extends StateFormatSerializer<FollowUpInput> {
    private static final long serialVersionUID = 1L;

    public static final FollowUpInputSerializer INSTANCE = new FollowUpInputSerializer();

    private static final int FORMAT_1 = 1;

    private FollowUpInputSerializer() {
        super(true);
    }

    @Override
    public void serialize(FollowUpInput input, DataOutputView out) throws IOException {
        Compact.writeString(input.key(), out);
        Compact.writeLong(input.time(), out);
        TaskFormat.writeEnriched(input.cart(), out);
        TaskFormat.writeClosed(input.closed(), out);
        TaskFormat.writePurchase(input.purchase(), out);
        TaskFormat.writeOutcome(input.outcome(), out);
    }

    @Override
    public FollowUpInput deserialize(DataInputView in) throws IOException {
        return new FollowUpInput(
                Compact.readString(in),
                Compact.readLong(in),
                TaskFormat.readEnriched(in),
                TaskFormat.readClosed(in),
                TaskFormat.readPurchase(in),
                TaskFormat.readOutcome(in));
    }

    @Override
    public TypeSerializerSnapshot<FollowUpInput> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format 1's snapshot. */
    public static final class Snapshot extends StateFormatSerializer.Snapshot<FollowUpInput> {
        public Snapshot() {
            super(INSTANCE, FORMAT_1);
        }
    }
}

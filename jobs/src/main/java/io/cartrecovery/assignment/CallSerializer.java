package io.cartrecovery.assignment;

import io.cartrecovery.serialization.Compact;
import io.cartrecovery.serialization.StateFormatSerializer;
import io.cartrecovery.serialization.TaskFormat;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The assigner's {@link Call}, kept until its release, in a format of its own (format 1): the task
 * through {@link TaskFormat}. Before it, Flink's POJO serializer wrote the task field by field
 * (docs/state.md, "Upgrades").
 */
public final class CallSerializer extends StateFormatSerializer<Call> {
    private static final long serialVersionUID = 1L;

    public static final CallSerializer INSTANCE = new CallSerializer();

    private static final int RISK = 1;
    private static final int BREACH = 2;

    private static final int FORMAT_1 = 1;

    private CallSerializer() {
        super(true);
    }

    @Override
    public void serialize(Call call, DataOutputView out) throws IOException {
        out.writeByte((call.riskAlerted() ? RISK : 0) | (call.breachAlerted() ? BREACH : 0));
        TaskFormat.writeTask(call.task(), out);
        Compact.writeString(call.agentId(), out);
        Compact.writeLong(call.since(), out);
    }

    @Override
    public Call deserialize(DataInputView in) throws IOException {
        int flags = in.readUnsignedByte();
        return new Call(
                TaskFormat.readTask(in),
                Compact.readString(in),
                Compact.readLong(in),
                (flags & RISK) != 0,
                (flags & BREACH) != 0);
    }

    @Override
    public TypeSerializerSnapshot<Call> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format 1's snapshot. */
    public static final class Snapshot extends StateFormatSerializer.Snapshot<Call> {
        public Snapshot() {
            super(INSTANCE, FORMAT_1);
        }
    }
}

package io.cartrecovery.assignment;

import io.cartrecovery.serialization.StateFormatSerializer;
import io.cartrecovery.serialization.TaskFormat;
import io.cartrecovery.tasks.ContactTask;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A call waiting in the assigner for event time to reach it, in {@link TaskFormat} (format 1).
 * Before it, Flink's POJO serializer wrote the task field by field (docs/state.md, "Upgrades").
 */
public final class PendingCallSerializer extends StateFormatSerializer<ContactTask> {
    private static final long serialVersionUID = 1L;

    public static final PendingCallSerializer INSTANCE = new PendingCallSerializer();

    private static final int FORMAT_1 = 1;

    private PendingCallSerializer() {
        super(true);
    }

    @Override
    public void serialize(ContactTask task, DataOutputView out) throws IOException {
        TaskFormat.writeTask(task, out);
    }

    @Override
    public ContactTask deserialize(DataInputView in) throws IOException {
        return TaskFormat.readTask(in);
    }

    @Override
    public TypeSerializerSnapshot<ContactTask> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format 1's snapshot. */
    public static final class Snapshot extends StateFormatSerializer.Snapshot<ContactTask> {
        public Snapshot() {
            super(INSTANCE, FORMAT_1);
        }
    }
}

package io.cartrecovery.assignment;

import io.cartrecovery.serialization.StateFormatSerializer;
import io.cartrecovery.serialization.TaskFormat;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A cancel or a release waiting in the assigner for event time ({@link AssignmentRules} holds no
 * other input), in {@link TaskFormat} (format 1). Before it, Flink's POJO serializer wrote it
 * (docs/state.md, "Upgrades").
 */
public final class HeldInputSerializer extends StateFormatSerializer<AssignmentInput> {
    private static final long serialVersionUID = 1L;

    public static final HeldInputSerializer INSTANCE = new HeldInputSerializer();

    private static final int FORMAT_1 = 1;

    private HeldInputSerializer() {
        super(true);
    }

    @Override
    public void serialize(AssignmentInput input, DataOutputView out) throws IOException {
        if (input.agent() != null) {
            // Roster updates apply when they arrive (AssignmentRules): one held would be a bug.
            throw new IllegalArgumentException(
                    "a roster update is never held for event time: agent "
                            + input.agent().agentId());
        }
        out.writeBoolean(input.task() != null);
        if (input.task() != null) {
            TaskFormat.writeTask(input.task(), out);
        }
        TaskFormat.writeRelease(input.release(), out);
    }

    @Override
    public AssignmentInput deserialize(DataInputView in) throws IOException {
        return new AssignmentInput(
                in.readBoolean() ? TaskFormat.readTask(in) : null,
                null,
                TaskFormat.readRelease(in));
    }

    @Override
    public TypeSerializerSnapshot<AssignmentInput> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format 1's snapshot. */
    public static final class Snapshot extends StateFormatSerializer.Snapshot<AssignmentInput> {
        public Snapshot() {
            super(INSTANCE, FORMAT_1);
        }
    }
}

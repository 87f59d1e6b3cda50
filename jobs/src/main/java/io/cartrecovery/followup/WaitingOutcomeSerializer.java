package io.cartrecovery.followup;

import io.cartrecovery.outcomes.ParsedOutcome;
import io.cartrecovery.serialization.StateFormatSerializer;
import io.cartrecovery.serialization.TaskFormat;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * An outcome waiting in {@link OutcomeRouter} for event time or for its cart, in {@link TaskFormat}
 * (format 1). Before it, Flink's POJO serializer wrote it (docs/state.md, "Upgrades").
 */
public final class WaitingOutcomeSerializer extends StateFormatSerializer<ParsedOutcome> {
    private static final long serialVersionUID = 1L;

    public static final WaitingOutcomeSerializer INSTANCE = new WaitingOutcomeSerializer();

    private static final int FORMAT_1 = 1;

    private WaitingOutcomeSerializer() {
        super(true);
    }

    @Override
    public void serialize(ParsedOutcome outcome, DataOutputView out) throws IOException {
        TaskFormat.writeOutcome(outcome, out);
    }

    @Override
    public ParsedOutcome deserialize(DataInputView in) throws IOException {
        return TaskFormat.readOutcome(in);
    }

    @Override
    public TypeSerializerSnapshot<ParsedOutcome> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format 1's snapshot. */
    public static final class Snapshot extends StateFormatSerializer.Snapshot<ParsedOutcome> {
        public Snapshot() {
            super(INSTANCE, FORMAT_1);
        }
    }
}

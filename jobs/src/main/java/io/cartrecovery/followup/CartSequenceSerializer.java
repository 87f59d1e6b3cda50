package io.cartrecovery.followup;

import io.cartrecovery.priority.Channel;
import io.cartrecovery.serialization.Compact;
import io.cartrecovery.serialization.StateFormatSerializer;
import io.cartrecovery.serialization.TaskFormat;
import java.io.IOException;
import java.util.ArrayList;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The follow-up's {@link CartSequence}, kept for each followed cart for days, in a format of its
 * own (format 1): the enriched cart through {@link TaskFormat}, attempts with their times relative
 * to the sequence's start. Before it, Flink's POJO serializer wrote the enriched cart field by
 * field with every class name, so the state's bytes followed the records' (docs/state.md,
 * "Upgrades").
 */
public final class CartSequenceSerializer extends StateFormatSerializer<CartSequence> {
    private static final long serialVersionUID = 1L;

    public static final CartSequenceSerializer INSTANCE = new CartSequenceSerializer();

    /** The number of fields of each class written here; {@code TaskFormatTest} holds them equal. */
    static final int SEQUENCE_FIELDS = 9;

    static final int ATTEMPT_FIELDS = 14;

    private static final int HOLDOUT = 1;
    private static final int LAST_PLANNED = 2;
    private static final int ENDED = 4;
    private static final int NEXT = 8;

    private static final int FORMAT_1 = 1;

    private CartSequenceSerializer() {
        super(false);
    }

    @Override
    public CartSequence createInstance() {
        return new CartSequence();
    }

    @Override
    public void serialize(CartSequence seq, DataOutputView out) throws IOException {
        boolean next = seq.nextAt != CartSequence.NONE;
        out.writeByte(
                (seq.holdout ? HOLDOUT : 0)
                        | (seq.lastPlanned ? LAST_PLANNED : 0)
                        | (seq.ended ? ENDED : 0)
                        | (next ? NEXT : 0));
        TaskFormat.writeEnriched(seq.enriched, out);
        long base = seq.startedAt;
        Compact.writeLong(base, out);
        if (next) {
            Compact.writeLong(seq.nextAt - base, out);
        }
        TaskFormat.writeName(seq.nextChannel, out);
        Compact.writeString(seq.nextKind, out);
        Compact.writeCount(seq.attempts.size(), out);
        for (Attempt attempt : seq.attempts) {
            writeAttempt(attempt, base, out);
        }
    }

    @Override
    public CartSequence deserialize(DataInputView in) throws IOException {
        CartSequence seq = new CartSequence();
        int flags = in.readUnsignedByte();
        seq.holdout = (flags & HOLDOUT) != 0;
        seq.lastPlanned = (flags & LAST_PLANNED) != 0;
        seq.ended = (flags & ENDED) != 0;
        seq.enriched = TaskFormat.readEnriched(in);
        long base = Compact.readLong(in);
        seq.startedAt = base;
        seq.nextAt = (flags & NEXT) != 0 ? base + Compact.readLong(in) : CartSequence.NONE;
        seq.nextChannel = TaskFormat.readName(Channel.class, in);
        seq.nextKind = Compact.readString(in);
        int attempts = Compact.readCount(in);
        seq.attempts = new ArrayList<>(attempts + 1);
        for (int i = 0; i < attempts; i++) {
            seq.attempts.add(readAttempt(base, in));
        }
        return seq;
    }

    private static void writeAttempt(Attempt attempt, long base, DataOutputView out)
            throws IOException {
        Compact.writeCount(attempt.number, out);
        Compact.writeString(attempt.taskId, out);
        TaskFormat.writeName(attempt.channel, out);
        Compact.writeLong(attempt.issuedAt - base, out);
        Compact.writeLong(attempt.dueBy - base, out);
        writeMoment(attempt.notBefore, base, out);
        Compact.writeString(attempt.status, out);
        out.writeBoolean(attempt.outcomes != null);
        if (attempt.outcomes != null) {
            Compact.writeCount(attempt.outcomes.size(), out);
            for (String outcome : attempt.outcomes) {
                Compact.writeString(outcome, out);
            }
        }
        Compact.writeString(attempt.agentId, out);
        Compact.writeString(attempt.objection, out);
        writeMoment(attempt.reachedAt, base, out);
        out.writeBoolean(attempt.responded);
        writeMoment(attempt.attemptedAt, base, out);
        writeMoment(attempt.endedAt, base, out);
    }

    private static Attempt readAttempt(long base, DataInputView in) throws IOException {
        Attempt attempt = new Attempt();
        attempt.number = Compact.readCount(in);
        attempt.taskId = Compact.readString(in);
        attempt.channel = TaskFormat.readName(Channel.class, in);
        attempt.issuedAt = base + Compact.readLong(in);
        attempt.dueBy = base + Compact.readLong(in);
        attempt.notBefore = readMoment(base, in);
        attempt.status = Compact.readString(in);
        if (in.readBoolean()) {
            int size = Compact.readCount(in);
            attempt.outcomes = new ArrayList<>(size + 1);
            for (int i = 0; i < size; i++) {
                attempt.outcomes.add(Compact.readString(in));
            }
        } else {
            attempt.outcomes = null;
        }
        attempt.agentId = Compact.readString(in);
        attempt.objection = Compact.readString(in);
        attempt.reachedAt = readMoment(base, in);
        attempt.responded = in.readBoolean();
        attempt.attemptedAt = readMoment(base, in);
        attempt.endedAt = readMoment(base, in);
        return attempt;
    }

    /** A moment of the sequence or null, relative to its start. */
    private static void writeMoment(Long time, long base, DataOutputView out) throws IOException {
        TaskFormat.writeOptionalTime(time == null ? null : time - base, out);
    }

    private static Long readMoment(long base, DataInputView in) throws IOException {
        Long delta = TaskFormat.readOptionalTime(in);
        return delta == null ? null : base + delta;
    }

    @Override
    public TypeSerializerSnapshot<CartSequence> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format 1's snapshot. */
    public static final class Snapshot extends StateFormatSerializer.Snapshot<CartSequence> {
        public Snapshot() {
            super(INSTANCE, FORMAT_1);
        }
    }
}

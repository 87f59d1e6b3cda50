package io.cartrecovery.serialization;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A serializer of a long-lived state value written by hand in a format of the job's own (the
 * tracker's carts, the follow-up's sequences, the assigner's calls): its bytes change only with a
 * new format version, never because a record or the output JSON changed (docs/state.md).
 *
 * <p>Upgrades: state written by Flink's POJO serializer (the versions before these formats) is
 * migrated on restore, read with the old serializer and written with this one, as the snapshot
 * answers {@link TypeSerializerSchemaCompatibility#compatibleAfterMigration()} to a POJO snapshot.
 * A later format version keeps the reader of the one before and answers the same to its snapshot.
 */
public abstract class StateFormatSerializer<T> extends TypeSerializerSingleton<T> {
    private static final long serialVersionUID = 1L;

    private final boolean immutable;

    /**
     * @param immutable whether the values are records, never changed once built (a copy is then the
     *     value itself), or changed in place by the rules (a copy goes through the bytes)
     */
    protected StateFormatSerializer(boolean immutable) {
        this.immutable = immutable;
    }

    @Override
    public boolean isImmutableType() {
        return immutable;
    }

    @Override
    public T createInstance() {
        return null;
    }

    /** The value itself when immutable, else a deep copy through the serialized form. */
    @Override
    public T copy(T from) {
        if (immutable || from == null) {
            return from;
        }
        try {
            DataOutputSerializer out = new DataOutputSerializer(256);
            serialize(from, out);
            return deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy " + from.getClass().getSimpleName(), e);
        }
    }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public T deserialize(T reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    /**
     * The snapshot of a serializer with one format version: the version and nothing else. Each such
     * serializer has a public subclass with a no-argument constructor, which Flink instantiates on
     * restore. (The tracker's serializer reads two versions and has a snapshot of its own.)
     */
    public abstract static class Snapshot<T> implements TypeSerializerSnapshot<T> {
        private final StateFormatSerializer<T> serializer;
        private final int current;
        private int version;

        protected Snapshot(StateFormatSerializer<T> serializer, int version) {
            this.serializer = serializer;
            this.current = version;
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
            if (readVersion != current) {
                throw new IOException(
                        "unknown version "
                                + readVersion
                                + " of "
                                + serializer.getClass().getSimpleName()
                                + "'s format: a checkpoint of a newer version cannot be read");
            }
            version = readVersion;
        }

        @Override
        public TypeSerializer<T> restoreSerializer() {
            return serializer;
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
                TypeSerializerSnapshot<T> oldSnapshot) {
            if (oldSnapshot instanceof PojoSerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            if (oldSnapshot.getClass() == getClass()) {
                return oldSnapshot.getCurrentVersion() == version
                        ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                        : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}

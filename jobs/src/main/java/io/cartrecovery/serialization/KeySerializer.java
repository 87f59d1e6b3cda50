package io.cartrecovery.serialization;

import io.cartrecovery.keys.StateKey;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * A typed state key ({@link StateKey}) written exactly as Flink's {@link StringSerializer} writes
 * its string. Keys were plain strings before they had types, so a checkpoint of that version
 * restores: the bytes of every key are the same, and so is the key group (the key's hash code is
 * the string's). The snapshot answers "compatible as is" to a string serializer's.
 */
public final class KeySerializer<K> extends TypeSerializer<K> {
    private static final long serialVersionUID = 1L;

    private final Class<K> type;
    private transient Constructor<K> constructor;

    public KeySerializer(Class<K> type) {
        this.type = type;
    }

    Class<K> type() {
        return type;
    }

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public TypeSerializer<K> duplicate() {
        return this;
    }

    @Override
    public K createInstance() {
        return of("");
    }

    @Override
    public K copy(K from) {
        return from;
    }

    @Override
    public K copy(K from, K reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(K key, DataOutputView out) throws IOException {
        StringValue.writeString(((StateKey) key).value(), out);
    }

    @Override
    public K deserialize(DataInputView in) throws IOException {
        return of(StringValue.readString(in));
    }

    @Override
    public K deserialize(K reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        StringValue.copyString(in, out);
    }

    private K of(String value) {
        try {
            if (constructor == null) {
                constructor = type.getDeclaredConstructor(String.class);
            }
            return constructor.newInstance(value);
        } catch (NoSuchMethodException
                | InstantiationException
                | IllegalAccessException
                | InvocationTargetException e) {
            throw new IllegalStateException("cannot build a " + type.getSimpleName(), e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeySerializer<?> that && that.type.equals(type);
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<K> snapshotConfiguration() {
        return new Snapshot<>(type);
    }

    /** The key's type, by class name. */
    public static final class Snapshot<K> implements TypeSerializerSnapshot<K> {
        private static final int VERSION = 1;

        private Class<K> type;

        /** For Flink, which then reads the type in {@link #readSnapshot}. */
        public Snapshot() {}

        Snapshot(Class<K> type) {
            this.type = type;
        }

        @Override
        public int getCurrentVersion() {
            return VERSION;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeUTF(type.getName());
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
                throws IOException {
            if (readVersion != VERSION) {
                throw new IOException("unknown version " + readVersion + " of a key's snapshot");
            }
            String name = in.readUTF();
            try {
                @SuppressWarnings("unchecked")
                Class<K> read = (Class<K>) Class.forName(name, false, classLoader);
                type = read;
            } catch (ClassNotFoundException e) {
                throw new IOException("the key type " + name + " is gone", e);
            }
        }

        @Override
        public TypeSerializer<K> restoreSerializer() {
            return new KeySerializer<>(type);
        }

        @Override
        public TypeSerializerSchemaCompatibility<K> resolveSchemaCompatibility(
                TypeSerializerSnapshot<K> oldSnapshot) {
            if (oldSnapshot instanceof Snapshot<?> old && old.type == type) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            // Keys before they had types: the same bytes.
            if ((Object) oldSnapshot instanceof StringSerializer.StringSerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            return TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}

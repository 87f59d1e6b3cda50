package io.cartrecovery.detection;

import java.io.IOException;
import org.apache.flink.api.common.state.ValueState;

/**
 * A keyed value read at most once and written at most once per callback of a keyed function.
 *
 * <p>With RocksDB every {@link ValueState#value()} deserializes and every {@link ValueState#update}
 * serializes: a timer that applies a cart's due events one by one through the state handle read the
 * cart three times per event. The function reads through {@link #get}, hands back whatever it
 * changed with {@link #set} (a changed object must be set again, as with the state itself), and
 * calls {@link #flush} before the callback returns, while the key is still current.
 */
final class WorkingValue<T> {
    private final ValueState<T> state;
    private T value;
    private boolean loaded;
    private boolean dirty;

    WorkingValue(ValueState<T> state) {
        this.state = state;
    }

    T get() throws IOException {
        if (!loaded) {
            value = state.value();
            loaded = true;
        }
        return value;
    }

    /** Sets the value; {@code null} clears it. */
    void set(T newValue) {
        value = newValue;
        loaded = true;
        dirty = true;
    }

    /** Writes a value that was set and forgets the working copy. */
    void flush() throws IOException {
        if (dirty) {
            if (value == null) {
                state.clear();
            } else {
                state.update(value);
            }
        }
        value = null;
        loaded = false;
        dirty = false;
    }
}

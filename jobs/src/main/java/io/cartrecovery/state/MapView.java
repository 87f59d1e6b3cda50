package io.cartrecovery.state;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;

/**
 * A keyed {@link MapState} whose entries are read at most once per callback of the operator:
 * iterating a map state in RocksDB is a seek, and a seek walks over the deleted entries of other
 * keys up to the next live one (Flink 2.2 sets no upper bound on it, FLINK-40584), so a rule that
 * looks at a customer's few carts several times in one decision paid that walk each time. Point
 * reads and writes go to the state as before; once the entries have been read, they are served from
 * memory and kept in step with the writes.
 *
 * <p>Call {@link #reset} at the start of every callback: the view belongs to the key current then.
 */
public final class MapView<K, V> {
    private final MapState<K, V> state;

    /** The current key's entries once read in this callback, else null. */
    private Map<K, V> loaded;

    public MapView(MapState<K, V> state) {
        this.state = state;
    }

    /** Forgets what was read: the next callback may be for another key. */
    public void reset() {
        loaded = null;
    }

    public V get(K key) {
        return loaded != null ? loaded.get(key) : KeyedState.call(() -> state.get(key));
    }

    public boolean contains(K key) {
        return loaded != null
                ? loaded.containsKey(key)
                : KeyedState.call(() -> state.contains(key));
    }

    public void put(K key, V value) {
        KeyedState.run(() -> state.put(key, value));
        if (loaded != null) {
            loaded.put(key, value);
        }
    }

    public void remove(K key) {
        KeyedState.run(() -> state.remove(key));
        if (loaded != null) {
            loaded.remove(key);
        }
    }

    /** Clears the state (a seek in RocksDB: call it only when there may be something to clear). */
    public void clear() {
        state.clear();
        loaded = new LinkedHashMap<>();
    }

    /**
     * The entries as they are now, a copy: the caller may put and remove while it walks them. In
     * the state's order, then those put since it was read.
     */
    public List<Map.Entry<K, V>> entries() {
        if (loaded == null) {
            Map<K, V> read = new LinkedHashMap<>();
            Iterable<Map.Entry<K, V>> stored = KeyedState.call(state::entries);
            if (stored != null) {
                for (Map.Entry<K, V> entry : stored) {
                    read.put(entry.getKey(), entry.getValue());
                }
            }
            loaded = read;
        }
        List<Map.Entry<K, V>> copy = new ArrayList<>(loaded.size());
        for (Map.Entry<K, V> entry : loaded.entrySet()) {
            copy.add(new AbstractMap.SimpleImmutableEntry<>(entry.getKey(), entry.getValue()));
        }
        return copy;
    }
}

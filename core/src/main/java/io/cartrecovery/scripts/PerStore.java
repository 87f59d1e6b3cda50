package io.cartrecovery.scripts;

import java.io.Serializable;
import java.util.Map;

/** A setting given per store, {@code *} standing for every store without its own value. */
public final class PerStore<T extends Serializable> implements Serializable {
    public static final String ANY = "*";

    private final Map<String, T> values;

    private PerStore(Map<String, T> values) {
        this.values = values;
    }

    /**
     * @param values by store id, {@link #ANY} for every store without its own value
     */
    public static <T extends Serializable> PerStore<T> of(Map<String, T> values) {
        return new PerStore<>(Map.copyOf(values));
    }

    /** The store's own value, else the {@code *} value, else null. */
    public T get(String store) {
        T value = values.get(store);
        return value != null ? value : values.get(ANY);
    }
}

package io.cartrecovery.keys;

import java.util.Objects;

/** An abandoned cart of a store, as outcomes and attempts name it ({@link Keys#cart}). */
public record CartKey(String value) implements StateKey {
    public CartKey {
        Objects.requireNonNull(value, "key");
    }

    /** The string's: the key group a key falls in must not change with its type. */
    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}

package io.cartrecovery.keys;

import java.util.Objects;

/** A cart as the cart tracker and the reason patterns follow it ({@link Keys#trackedCart}). */
public record TrackedCartKey(String value) implements StateKey {
    public TrackedCartKey {
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

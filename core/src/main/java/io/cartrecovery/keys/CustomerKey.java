package io.cartrecovery.keys;

import java.util.Objects;

/** The customer whose carts are enriched and followed up together ({@link Keys#customer}). */
public record CustomerKey(String value) implements StateKey {
    public CustomerKey {
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

package io.cartrecovery.keys;

import java.util.Objects;

/** The contact centre: the assignment's one key ({@link Keys#CONTACT_CENTRE}). */
public record ContactCentreKey(String value) implements StateKey {
    public ContactCentreKey {
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

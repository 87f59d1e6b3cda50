package io.cartrecovery.keys;

import java.util.Objects;

/** One row of a KPI minute: the minute and the row's dimensions ({@link Keys#kpiMinute}). */
public record KpiMinuteKey(String value) implements StateKey {
    public KpiMinuteKey {
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

package io.cartrecovery.priority;

import java.util.Locale;

/** Treatment class by expected recovered value; decides the first channel tried. */
public enum Tier {
    HIGH,
    MIDDLE,
    LOW;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

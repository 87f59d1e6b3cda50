package io.cartrecovery.priority;

import java.util.Locale;

/** Who carries out a contact: a salesperson, or the system. */
public enum Mode {
    AGENT,
    AUTOMATED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

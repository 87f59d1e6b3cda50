package io.cartrecovery.priority;

import java.util.Locale;

/** How a customer is contacted, costliest (most personal) first. */
public enum Channel {
    CALL,
    WHATSAPP,
    SMS,
    EMAIL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A call needs an agent; every message is sent by the system. */
    public Mode mode() {
        return this == CALL ? Mode.AGENT : Mode.AUTOMATED;
    }
}

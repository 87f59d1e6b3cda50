package io.cartrecovery.tasks;

import java.util.Locale;

/** A task is created for an abandoned cart, and cancelled when the cart ends before contact. */
public enum TaskType {
    CREATE,
    CANCEL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package io.cartrecovery.events;

/** A record that is not a valid clickstream event; the message is the dead-letter reason. */
public final class InvalidEventException extends Exception {
    public InvalidEventException(String reason) {
        super(reason);
    }
}

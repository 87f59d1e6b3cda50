package io.cartrecovery.outcomes;

/** A contact outcome record that cannot be used; the message names the field, never its value. */
public final class InvalidOutcomeException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidOutcomeException(String reason) {
        super(reason, null, false, false);
    }
}

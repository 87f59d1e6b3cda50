package io.cartrecovery.profiles;

/** A customer-profile record that breaks docs/profiles.md; the message is one line. */
public final class InvalidProfileException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidProfileException(String reason) {
        super(reason);
    }
}

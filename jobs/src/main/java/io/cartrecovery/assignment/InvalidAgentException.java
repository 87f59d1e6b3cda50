package io.cartrecovery.assignment;

/** An agents-topic record that breaks docs/assignment.md; the message is one line. */
public final class InvalidAgentException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidAgentException(String reason) {
        super(reason);
    }
}

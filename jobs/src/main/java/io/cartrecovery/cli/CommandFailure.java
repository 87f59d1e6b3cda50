package io.cartrecovery.cli;

/**
 * A command that could not do its work, e.g. Kafka unreachable; printed as one line, exit code 1.
 */
public final class CommandFailure extends RuntimeException {
    public CommandFailure(String message) {
        super(message);
    }
}

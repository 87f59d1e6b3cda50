package io.cartrecovery.cli;

/**
 * A command that could not do its work, e.g. Kafka unreachable; printed as one line, exit code 1.
 */
final class CommandFailure extends RuntimeException {
    CommandFailure(String message) {
        super(message);
    }
}

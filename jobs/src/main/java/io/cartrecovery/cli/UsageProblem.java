package io.cartrecovery.cli;

/** A mistake in how the command was called; printed as one line, exit code 2. */
final class UsageProblem extends RuntimeException {
    UsageProblem(String message) {
        super(message);
    }
}

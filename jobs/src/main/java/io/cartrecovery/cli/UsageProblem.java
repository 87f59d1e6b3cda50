package io.cartrecovery.cli;

/** A mistake in how the command was called; printed as one line, exit code 2. */
public final class UsageProblem extends RuntimeException {
    public UsageProblem(String message) {
        super(message);
    }
}

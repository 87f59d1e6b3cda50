package io.cartrecovery.outcomes;

import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.ingest.SourcePosition;

/**
 * What the outcome source hands on: an outcome with the record it came from (the follow-up may
 * still reject it as unknown or duplicate, and dead-letters it whole), or a dead letter.
 *
 * @param outcome the parsed outcome, or null
 * @param deadLetter why the record was rejected, or null
 * @param payload the raw record
 * @param position where it was read
 */
public record ParsedOutcome(
        ContactOutcome outcome, DeadLetter deadLetter, byte[] payload, SourcePosition position) {

    /** The outcome rejected later, with the one-line reason. */
    public DeadLetter reject(String reason, long now) {
        return new DeadLetter(reason, payload, position, now).personal();
    }
}

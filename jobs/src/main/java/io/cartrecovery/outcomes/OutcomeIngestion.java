package io.cartrecovery.outcomes;

import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.ingest.Limits;
import io.cartrecovery.ingest.RawRecords;
import io.cartrecovery.ingest.SourcePosition;

/** Parses one raw outcome record; bad data becomes a dead letter, never an exception. */
public final class OutcomeIngestion {
    private OutcomeIngestion() {}

    /**
     * @return null for a record without a value (nothing to do)
     */
    public static ParsedOutcome parse(byte[] payload, SourcePosition position, long now) {
        if (payload == null) {
            return null;
        }
        String unreadable = RawRecords.problem(payload, Limits.MAX_OUTCOME_BYTES);
        if (unreadable != null) {
            DeadLetter letter =
                    RawRecords.deadLetter(
                                    unreadable, payload, Limits.MAX_OUTCOME_BYTES, position, now)
                            .personal();
            return new ParsedOutcome(null, letter, letter.payload(), position);
        }
        try {
            return new ParsedOutcome(ContactOutcomeJson.parse(payload), null, payload, position);
        } catch (InvalidOutcomeException e) {
            return new ParsedOutcome(
                    null,
                    new DeadLetter(e.getMessage(), payload, position, now).personal(),
                    payload,
                    position);
        }
    }

    /** Event time of an outcome; dead letters pass at the beginning of time. */
    public static long eventTime(ParsedOutcome parsed) {
        return parsed.outcome() != null ? parsed.outcome().time() : Long.MIN_VALUE;
    }
}

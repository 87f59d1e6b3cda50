package io.cartrecovery.profiles;

import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.ingest.Limits;
import io.cartrecovery.ingest.RawRecords;
import io.cartrecovery.ingest.SourcePosition;

/** Parses one raw profile record; bad data becomes a dead letter, never an exception. */
public final class ProfileIngestion {
    private ProfileIngestion() {}

    /**
     * @param payload the record value; null is a tombstone of the compacted topic
     * @return neither profile nor dead letter for a tombstone: deleting a profile is not supported
     *     yet (docs/profiles.md)
     */
    public static ParsedProfile parse(byte[] payload, SourcePosition position, long now) {
        if (payload == null) {
            return new ParsedProfile(null, null, position);
        }
        String unreadable = RawRecords.problem(payload, Limits.MAX_PROFILE_BYTES);
        if (unreadable != null) {
            return new ParsedProfile(
                    null,
                    RawRecords.deadLetter(
                                    unreadable, payload, Limits.MAX_PROFILE_BYTES, position, now)
                            .personal(),
                    position);
        }
        try {
            return new ParsedProfile(CustomerProfileJson.parse(payload), null, position);
        } catch (InvalidProfileException e) {
            return new ParsedProfile(
                    null,
                    new DeadLetter(e.getMessage(), payload, position, now).personal(),
                    position);
        }
    }
}

package io.cartrecovery.profiles;

import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.ingest.SourcePosition;

/** Parses one raw profile record; bad data becomes a dead letter, never an exception. */
public final class ProfileIngestion {
    private ProfileIngestion() {}

    /**
     * @param payload the record value; null is a tombstone of the compacted topic
     * @return null for a tombstone: deleting a profile is not supported yet (docs/profiles.md)
     */
    public static ParsedProfile parse(byte[] payload, SourcePosition position, long now) {
        if (payload == null) {
            return null;
        }
        try {
            return new ParsedProfile(CustomerProfileJson.parse(payload), null);
        } catch (InvalidProfileException e) {
            return new ParsedProfile(null, new DeadLetter(e.getMessage(), payload, position, now));
        }
    }
}

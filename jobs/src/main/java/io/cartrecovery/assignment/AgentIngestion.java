package io.cartrecovery.assignment;

import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.ingest.Limits;
import io.cartrecovery.ingest.RawRecords;
import io.cartrecovery.ingest.SourcePosition;

/** Parses one raw agent record; bad data becomes a dead letter, never an exception. */
public final class AgentIngestion {
    private AgentIngestion() {}

    /**
     * @param payload the record value; null is a tombstone of the compacted topic
     * @return neither agent nor dead letter for a tombstone: an agent leaves the roster with {@code
     *     "active": false} (docs/assignment.md)
     */
    public static ParsedAgent parse(byte[] payload, SourcePosition position, long now) {
        if (payload == null) {
            return new ParsedAgent(null, null, position);
        }
        String unreadable = RawRecords.problem(payload, Limits.MAX_AGENT_BYTES);
        if (unreadable != null) {
            return new ParsedAgent(
                    null,
                    RawRecords.deadLetter(
                            unreadable, payload, Limits.MAX_AGENT_BYTES, position, now),
                    position);
        }
        try {
            return new ParsedAgent(AgentJson.parse(payload), null, position);
        } catch (InvalidAgentException e) {
            return new ParsedAgent(
                    null, new DeadLetter(e.getMessage(), payload, position, now), position);
        }
    }
}

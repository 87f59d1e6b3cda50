package io.cartrecovery.assignment;

import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.ingest.SourcePosition;

/**
 * What the agents source hands on: a agent, or a dead letter, never both, or neither for a
 * tombstone (the graph skips it). Every record of the topic hands one on, with where it was read,
 * so the source can tell when it has read its topic once (docs/time.md, "Reference data").
 *
 * @param position where the record was read; null for a file's stand-in record
 */
public record ParsedAgent(Agent agent, DeadLetter deadLetter, SourcePosition position) {}

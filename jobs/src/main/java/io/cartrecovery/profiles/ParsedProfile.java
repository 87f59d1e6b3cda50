package io.cartrecovery.profiles;

import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.ingest.SourcePosition;

/**
 * What the profiles source hands on: a profile, or a dead letter, never both, or neither for a
 * tombstone (the graph skips it). Every record of the topic hands one on, with where it was read,
 * so the source can tell when it has read its topic once (docs/time.md, "Reference data").
 *
 * @param position where the record was read; null for a file's stand-in record
 */
public record ParsedProfile(
        CustomerProfile profile, DeadLetter deadLetter, SourcePosition position) {}

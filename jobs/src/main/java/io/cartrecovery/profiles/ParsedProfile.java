package io.cartrecovery.profiles;

import io.cartrecovery.ingest.DeadLetter;

/**
 * What the profile source hands on: a profile, or a dead letter, never both; the graph skips a
 * record with neither.
 */
public record ParsedProfile(CustomerProfile profile, DeadLetter deadLetter) {}

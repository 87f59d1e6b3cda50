package io.cartrecovery.assignment;

import io.cartrecovery.ingest.DeadLetter;

/**
 * What the agents source hands on: an agent, or a dead letter, never both; the graph skips a record
 * with neither.
 */
public record ParsedAgent(Agent agent, DeadLetter deadLetter) {}

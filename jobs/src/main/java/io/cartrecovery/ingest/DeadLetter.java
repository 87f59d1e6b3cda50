package io.cartrecovery.ingest;

/**
 * A record the pipeline could not use, kept whole for inspection and replay.
 *
 * @param reason one line naming the problem (e.g. "negative items[0].price (-1)")
 * @param payload the raw bytes as received
 * @param position where it was read
 * @param rejectedAt wall-clock epoch millis of the rejection
 */
public record DeadLetter(String reason, byte[] payload, SourcePosition position, long rejectedAt) {}

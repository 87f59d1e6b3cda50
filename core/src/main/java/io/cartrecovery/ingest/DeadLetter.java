package io.cartrecovery.ingest;

/**
 * A record the pipeline could not use, kept for inspection and replay: whole, or, when it is larger
 * than its input's limit (docs/limits.md), its first {@link #MAX_PREFIX_BYTES} bytes.
 *
 * @param reason one line naming the problem (e.g. "negative items[0].price (-1)")
 * @param payload the raw bytes as received, or their first bytes when {@link #truncated()}
 * @param position where it was read
 * @param rejectedAt wall-clock epoch millis of the rejection
 * @param payloadBytes the size of the record as received
 * @param privacy whether the payload may hold personal data, or was masked
 */
public record DeadLetter(
        String reason,
        byte[] payload,
        SourcePosition position,
        long rejectedAt,
        long payloadBytes,
        Privacy privacy) {

    /** What a dead letter's payload may say about a person (docs/security.md). */
    public enum Privacy {
        /**
         * A record of an input that is not about a person (the clickstream, agents), kept whole.
         */
        PLAIN,
        /** A customer profile or a contact outcome, kept whole: names, contacts, notes. */
        PERSONAL,
        /**
         * A personal record with its personal fields masked ({@code
         * dead-letters.mask-personal-data}): not its exact bytes any more, or none at all when it
         * could not be read as JSON.
         */
        MASKED
    }

    public DeadLetter(
            String reason,
            byte[] payload,
            SourcePosition position,
            long rejectedAt,
            long payloadBytes) {
        this(reason, payload, position, rejectedAt, payloadBytes, Privacy.PLAIN);
    }

    /**
     * How much of an oversized record a dead letter keeps: enough to recognise it, and far below
     * the dead-letter topic's message limit (Kafka's default is 1 MB).
     */
    public static final int MAX_PREFIX_BYTES = 4096;

    /** A dead letter that keeps the whole record. */
    public DeadLetter(String reason, byte[] payload, SourcePosition position, long rejectedAt) {
        this(reason, payload, position, rejectedAt, payload == null ? 0 : payload.length);
    }

    /**
     * A dead letter of an oversized record: it keeps the first {@link #MAX_PREFIX_BYTES} bytes of
     * {@code prefix} (cut before a UTF-8 character that would not fit, so a text record stays
     * text).
     *
     * @param prefix the record, or as much of its start as was read
     * @param payloadBytes the record's full size
     */
    public static DeadLetter truncated(
            String reason,
            byte[] prefix,
            long payloadBytes,
            SourcePosition position,
            long rejectedAt) {
        int keep = Math.min(prefix.length, MAX_PREFIX_BYTES);
        if (keep < prefix.length) {
            // Back off over continuation bytes (10xxxxxx) to the start of the cut character.
            int start = keep;
            while (start > keep - 4 && start > 0 && (prefix[start] & 0xC0) == 0x80) {
                start--;
            }
            if ((prefix[start] & 0xC0) != 0x80) {
                keep = start;
            }
        }
        byte[] kept = java.util.Arrays.copyOf(prefix, keep);
        return new DeadLetter(reason, kept, position, rejectedAt, payloadBytes);
    }

    /** Only the first bytes of the record are kept. */
    public boolean truncated() {
        return privacy != Privacy.MASKED && payload != null && payloadBytes > payload.length;
    }

    /** The same dead letter, marked as one whose payload may hold personal data. */
    public DeadLetter personal() {
        return new DeadLetter(
                reason, payload, position, rejectedAt, payloadBytes, Privacy.PERSONAL);
    }
}

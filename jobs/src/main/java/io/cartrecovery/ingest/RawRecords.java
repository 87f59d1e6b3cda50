package io.cartrecovery.ingest;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The checks every raw record passes before it is read, whatever the input: not empty, not larger
 * than its input's limit, valid UTF-8. A record that fails one is never decoded, so no decoder
 * replaces bad bytes with U+FFFD or reads megabytes of junk.
 */
public final class RawRecords {
    private RawRecords() {}

    /** Why the record cannot be read, or null when it can. */
    public static String problem(byte[] payload, int maxBytes) {
        if (payload == null || payload.length == 0) {
            return "empty payload";
        }
        if (payload.length > maxBytes) {
            return oversized(payload.length, maxBytes);
        }
        int bad = invalidUtf8At(payload);
        return bad < 0 ? null : "invalid UTF-8 at byte " + bad;
    }

    public static String oversized(long bytes, int maxBytes) {
        return "oversized payload: " + bytes + " bytes, limit " + maxBytes;
    }

    /**
     * A dead letter of a record that fails {@link #problem}: an oversized one keeps its first bytes
     * only ({@link DeadLetter#truncated}).
     */
    public static DeadLetter deadLetter(
            String reason, byte[] payload, int maxBytes, SourcePosition position, long now) {
        if (payload != null && payload.length > maxBytes) {
            return DeadLetter.truncated(reason, payload, payload.length, position, now);
        }
        return new DeadLetter(reason, payload, position, now);
    }

    /** The offset of the first byte that is not valid UTF-8, or -1 when all are. */
    static int invalidUtf8At(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && bytes[i] >= 0) {
            i++; // ASCII, the common case: no decoder needed
        }
        if (i == bytes.length) {
            return -1;
        }
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, i, bytes.length - i);
        CharBuffer out = CharBuffer.allocate(Math.min(bytes.length - i, 8192));
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return in.position();
            }
            if (result.isUnderflow()) {
                result = decoder.flush(out);
                return result.isError() ? in.position() : -1;
            }
            out.clear(); // overflow: the characters are not needed, only the check
        }
    }
}

package io.cartrecovery.replay;

import io.cartrecovery.ingest.DeadLetter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads the lines of a file as the bytes they are, never decoding them: a bad byte is for the
 * line's dead letter to show, not a reason to stop the replay. A line longer than {@code maxBytes}
 * is not held in memory: its first {@link DeadLetter#MAX_PREFIX_BYTES} bytes are kept and the rest
 * is counted. Lines end at {@code \n}; a {@code \r} before it is dropped too.
 */
final class LineReader {
    private final InputStream in;
    private final int maxBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;

    /**
     * @param in read through its own buffer here; the caller closes it
     * @param maxBytes the longest line kept whole
     */
    LineReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next line, or null at the end of the file. */
    RawLine next() throws IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        int keep = Math.max(maxBytes, DeadLetter.MAX_PREFIX_BYTES);
        long length = 0;
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return any ? line(kept, length) : null;
                }
            }
            any = true;
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int chunk = position - start;
            int room = (int) Math.max(0, Math.min(chunk, keep + 1L - kept.size()));
            kept.write(buffer, start, room);
            length += chunk;
            if (position < limit) {
                position++; // the line break
                return line(kept, length);
            }
        }
    }

    private RawLine line(ByteArrayOutputStream kept, long length) {
        byte[] bytes = kept.toByteArray();
        if (bytes.length == length && length > 0 && bytes[bytes.length - 1] == '\r') {
            bytes = Arrays.copyOf(bytes, bytes.length - 1);
            length--;
        }
        if (length <= maxBytes) {
            return new RawLine(bytes, length);
        }
        // A few bytes past the prefix, so that the dead letter can cut it before a character.
        return new RawLine(
                Arrays.copyOf(bytes, Math.min(bytes.length, DeadLetter.MAX_PREFIX_BYTES + 4)),
                length);
    }
}

package io.cartrecovery.replay;

/**
 * One line of a replay file as bytes, without its line break: whole, or, when longer than the
 * reader's limit, its first bytes only.
 *
 * @param bytes the line, or its first bytes when {@link #truncated()}
 * @param length the line's full length in bytes
 */
public record RawLine(byte[] bytes, long length) {

    public boolean truncated() {
        return length > bytes.length;
    }

    /** Empty, or nothing but spaces, tabs and carriage returns: skipped, but counted. */
    public boolean blank() {
        if (truncated()) {
            return false;
        }
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}

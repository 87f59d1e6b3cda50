package io.cartrecovery.formats;

import io.cartrecovery.events.InvalidEventException;

/** Placeholder until the mapping lands. */
public final class CsvDecoder implements RecordDecoder {
    private static final long serialVersionUID = 1L;

    private final String defaultStoreId;

    public CsvDecoder(String defaultStoreId) {
        this.defaultStoreId = defaultStoreId;
    }

    /** Whether a non-JSON record is a row (or the header) of this layout (for format detection). */
    static boolean looksLike(byte[] payload) {
        return false;
    }

    @Override
    public void decode(byte[] payload, DecodeOutput out) throws InvalidEventException {
        throw new InvalidEventException("not implemented: " + defaultStoreId);
    }
}

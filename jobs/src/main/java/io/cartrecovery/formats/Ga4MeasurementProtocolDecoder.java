package io.cartrecovery.formats;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.events.InvalidEventException;

/** Placeholder until the mapping lands. */
public final class Ga4MeasurementProtocolDecoder implements JsonRecordDecoder {
    private static final long serialVersionUID = 1L;

    private final String defaultStoreId;

    public Ga4MeasurementProtocolDecoder(String defaultStoreId) {
        this.defaultStoreId = defaultStoreId;
    }

    /** Whether a JSON record is of this format (for format detection). */
    static boolean looksLike(JsonNode record) {
        return false;
    }

    @Override
    public void decode(JsonNode record, DecodeOutput out) throws InvalidEventException {
        throw new InvalidEventException("not implemented: " + defaultStoreId);
    }
}

package io.cartrecovery.formats;

import io.cartrecovery.events.InvalidEventException;

/** Which store a record belongs to: its own store field, else the configured store. */
public final class Stores {
    private Stores() {}

    /**
     * @param fromRecord the record's store id, or null
     * @param defaultStoreId {@code ingest.store-id} (replay {@code --store}), or null
     * @param field the record's field name, for the reason
     */
    public static String resolve(String fromRecord, String defaultStoreId, String field)
            throws InvalidEventException {
        if (fromRecord != null && !fromRecord.isBlank()) {
            return fromRecord.strip();
        }
        if (defaultStoreId != null) {
            return defaultStoreId;
        }
        throw new InvalidEventException(
                "missing "
                        + field
                        + ": the record names no store and ingest.store-id (replay --store) is not"
                        + " set");
    }
}

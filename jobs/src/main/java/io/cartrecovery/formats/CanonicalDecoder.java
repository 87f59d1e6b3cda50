package io.cartrecovery.formats;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.events.InvalidEventException;

/** The project's own format: one event per record (docs/clickstream.md). */
public final class CanonicalDecoder implements JsonRecordDecoder {
    private static final long serialVersionUID = 1L;

    @Override
    public void decode(JsonNode record, DecodeOutput out) throws InvalidEventException {
        out.event(ClickEventJson.read(record));
    }
}

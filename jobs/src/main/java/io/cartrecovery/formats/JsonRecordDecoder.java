package io.cartrecovery.formats;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.events.InvalidEventException;

/** A decoder of JSON records: the record is parsed once, here, then mapped from the tree. */
public interface JsonRecordDecoder extends RecordDecoder {

    void decode(JsonNode record, DecodeOutput out) throws InvalidEventException;

    @Override
    default void decode(byte[] payload, DecodeOutput out) throws InvalidEventException {
        decode(ClickEventJson.readObject(payload), out);
    }
}

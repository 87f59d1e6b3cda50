package io.cartrecovery.formats;

import io.cartrecovery.events.InvalidEventException;
import java.io.Serializable;

/**
 * Maps one raw record of a store's format onto canonical events. A decoder checks the fields it
 * reads and names them as the store's format does; {@link io.cartrecovery.events.EventValidator}
 * then checks every mapped event the same way, whatever its format.
 */
public interface RecordDecoder extends Serializable {
    /**
     * @param payload the raw record (one Kafka record value, or one line of a file)
     * @param out receives the record's events, broken parts and skipped events
     * @throws InvalidEventException when the record as a whole is unusable; the message is the
     *     dead-letter reason
     */
    void decode(byte[] payload, DecodeOutput out) throws InvalidEventException;
}

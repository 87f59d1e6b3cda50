package io.cartrecovery.ingest;

import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.events.InvalidEventException;

/**
 * What the source hands on: a valid event, or a dead letter, never both. Parsing happens in the
 * source so watermarks come from event time, per Kafka partition.
 */
public record Ingested(ClickEvent event, DeadLetter deadLetter) {

    public static Ingested parse(
            ClickEventJson parser, byte[] payload, SourcePosition position, long now) {
        try {
            return new Ingested(parser.parse(payload), null);
        } catch (InvalidEventException e) {
            return new Ingested(null, new DeadLetter(e.getMessage(), payload, position, now));
        }
    }

    /**
     * The event time, or {@link Long#MIN_VALUE} for a dead letter: a broken record must never move
     * the watermark (its Kafka timestamp may be far from event time).
     */
    public long eventTimeOrMin() {
        return event != null ? event.eventTime() : Long.MIN_VALUE;
    }
}

package io.cartrecovery.ingest;

import io.cartrecovery.events.ClickEvent;

/**
 * What the source hands on: a valid event, or a dead letter, never both, with where it came from
 * (null when the source does not say). Parsing happens in the source so watermarks come from event
 * time, per Kafka partition; the position tells the partition's idleness how far its reader is
 * ({@link PartitionIdleness}).
 */
public record Ingested(ClickEvent event, DeadLetter deadLetter, SourcePosition position) {

    public Ingested(ClickEvent event, DeadLetter deadLetter) {
        this(event, deadLetter, deadLetter != null ? deadLetter.position() : null);
    }

    /**
     * The event time, or {@link Long#MIN_VALUE} for a dead letter: a broken record must never move
     * the watermark (its Kafka timestamp may be far from event time).
     */
    public long eventTimeOrMin() {
        return event != null ? event.eventTime() : Long.MIN_VALUE;
    }
}

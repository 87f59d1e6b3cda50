package io.cartrecovery.ingest;

import io.cartrecovery.config.JobSettings;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.EventValidator;
import io.cartrecovery.events.InvalidEventException;
import io.cartrecovery.formats.DecodedRecord;
import io.cartrecovery.formats.Decoders;
import io.cartrecovery.formats.RecordDecoder;
import java.io.Serializable;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns one raw record into what the job consumes: its events, validated, and a dead letter for
 * each broken part. Shared by the Kafka source and file replays, so both treat every record alike.
 */
public final class Ingestion implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Well-formed events of kinds the pipeline does not use (e.g. GA4 scroll). */
    public static final String METRIC_SKIPPED = "skippedEvents";

    private final RecordDecoder decoder;
    private final EventValidator validator;
    private final int maxBytes;

    public Ingestion(RecordDecoder decoder, EventValidator validator, int maxBytes) {
        this.decoder = decoder;
        this.validator = validator;
        this.maxBytes = maxBytes;
    }

    /** The ingestion the settings describe, checking event times against the system clock. */
    public static Ingestion from(JobSettings settings) {
        return new Ingestion(
                Decoders.forFormat(settings.format(), settings.storeId()),
                new EventValidator(settings.maxFutureSkew(), InstantSource.system()),
                settings.maxEventBytes());
    }

    /**
     * @param out receives one {@link Ingested} per event and per dead letter
     * @param skipped receives the name of each well-formed event the pipeline does not use
     */
    public void ingest(
            byte[] payload,
            SourcePosition position,
            long now,
            Consumer<Ingested> out,
            Consumer<String> skipped) {
        String unreadable = RawRecords.problem(payload, maxBytes);
        if (unreadable != null) {
            out.accept(
                    new Ingested(
                            null,
                            RawRecords.deadLetter(unreadable, payload, maxBytes, position, now)));
            return;
        }
        try {
            DecodedRecord decoded = new DecodedRecord();
            decoder.decode(payload, decoded);
            List<ClickEvent> events = decoded.events();
            boolean several = events.size() + decoded.rejections().size() > 1;
            for (int i = 0; i < events.size(); i++) {
                try {
                    out.accept(new Ingested(validator.validate(events.get(i)), null, position));
                } catch (InvalidEventException e) {
                    String reason =
                            several ? "event " + (i + 1) + ": " + e.getMessage() : e.getMessage();
                    out.accept(deadLetter(reason, payload, position, now));
                }
            }
            for (String reason : decoded.rejections()) {
                out.accept(deadLetter(reason, payload, position, now));
            }
            decoded.skipped().forEach(skipped);
        } catch (InvalidEventException e) {
            out.accept(deadLetter(e.getMessage(), payload, position, now));
        }
    }

    /**
     * The dead letter of a record a reader found larger than {@link #maxBytes()} and did not read
     * whole.
     *
     * @param prefix the record's first bytes, at least {@link DeadLetter#MAX_PREFIX_BYTES} of them
     *     when it has that many
     * @param bytes the record's size
     */
    public Ingested oversized(byte[] prefix, long bytes, SourcePosition position, long now) {
        return new Ingested(
                null,
                DeadLetter.truncated(
                        RawRecords.oversized(bytes, maxBytes), prefix, bytes, position, now));
    }

    /** Records larger than this are dead-lettered unread. */
    public int maxBytes() {
        return maxBytes;
    }

    private static Ingested deadLetter(
            String reason, byte[] payload, SourcePosition position, long now) {
        return new Ingested(null, new DeadLetter(reason, payload, position, now));
    }
}

package io.cartrecovery.ingest;

import io.cartrecovery.config.JobSettings;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.EventValidator;
import io.cartrecovery.events.InvalidEventException;
import io.cartrecovery.formats.DecodeOutput;
import io.cartrecovery.formats.Decoders;
import io.cartrecovery.formats.RecordDecoder;
import java.io.Serializable;
import java.time.InstantSource;
import java.util.ArrayList;
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
        try {
            if (payload == null || payload.length == 0) {
                throw new InvalidEventException("empty payload");
            }
            if (payload.length > maxBytes) {
                throw new InvalidEventException(
                        "oversized payload: " + payload.length + " bytes, limit " + maxBytes);
            }
            Collected collected = new Collected();
            decoder.decode(payload, collected);
            boolean several = collected.events.size() + collected.rejections.size() > 1;
            for (int i = 0; i < collected.events.size(); i++) {
                try {
                    out.accept(new Ingested(validator.validate(collected.events.get(i)), null));
                } catch (InvalidEventException e) {
                    String reason =
                            several ? "event " + (i + 1) + ": " + e.getMessage() : e.getMessage();
                    out.accept(deadLetter(reason, payload, position, now));
                }
            }
            for (String reason : collected.rejections) {
                out.accept(deadLetter(reason, payload, position, now));
            }
            collected.skipped.forEach(skipped);
        } catch (InvalidEventException e) {
            out.accept(deadLetter(e.getMessage(), payload, position, now));
        }
    }

    private static Ingested deadLetter(
            String reason, byte[] payload, SourcePosition position, long now) {
        return new Ingested(null, new DeadLetter(reason, payload, position, now));
    }

    private static final class Collected implements DecodeOutput {
        final List<ClickEvent> events = new ArrayList<>(1);
        final List<String> rejections = new ArrayList<>(0);
        final List<String> skipped = new ArrayList<>(0);

        @Override
        public void event(ClickEvent event) {
            events.add(event);
        }

        @Override
        public void rejected(String reason) {
            rejections.add(reason);
        }

        @Override
        public void skipped(String eventName) {
            skipped.add(eventName);
        }
    }
}

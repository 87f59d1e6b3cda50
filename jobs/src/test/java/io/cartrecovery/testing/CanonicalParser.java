package io.cartrecovery.testing;

import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.EventValidator;
import io.cartrecovery.events.InvalidEventException;
import io.cartrecovery.formats.Decoders;
import io.cartrecovery.formats.Format;
import io.cartrecovery.ingest.Ingested;
import io.cartrecovery.ingest.Ingestion;
import io.cartrecovery.ingest.SourcePosition;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The production ingestion of one canonical record, as a parse call that throws its reason. It goes
 * through format detection (the default {@code ingest.format: auto}), so a canonical record that
 * detection took for another format fails here.
 */
public final class CanonicalParser {
    private final Ingestion ingestion;

    public CanonicalParser(int maxBytes, Duration maxFutureSkew, InstantSource clock) {
        this.ingestion =
                new Ingestion(
                        Decoders.forFormat(Format.AUTO, null),
                        new EventValidator(maxFutureSkew, clock),
                        maxBytes);
    }

    public ClickEvent parse(byte[] payload) throws InvalidEventException {
        List<Ingested> out = new ArrayList<>();
        ingestion.ingest(payload, SourcePosition.fileLine("test", 1), 0, out::add, skipped -> {});
        Ingested only = out.get(0);
        if (only.deadLetter() != null) {
            throw new InvalidEventException(only.deadLetter().reason());
        }
        return only.event();
    }
}

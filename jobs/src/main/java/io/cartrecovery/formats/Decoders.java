package io.cartrecovery.formats;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.events.InvalidEventException;

/** The decoder of each format, and format detection per record. */
public final class Decoders {
    private Decoders() {}

    /**
     * @param defaultStoreId the store of records that do not name one (the topic's or file's
     *     store), or null
     */
    public static RecordDecoder forFormat(Format format, String defaultStoreId) {
        return switch (format) {
            case AUTO -> new AutoDecoder(defaultStoreId);
            case CANONICAL -> new CanonicalDecoder();
            case GA4 -> new Ga4MeasurementProtocolDecoder(defaultStoreId);
            case GA4_BIGQUERY -> new Ga4BigQueryDecoder(defaultStoreId);
            case SEGMENT -> new SegmentDecoder(defaultStoreId);
            case CSV -> new CsvDecoder(defaultStoreId);
        };
    }

    /**
     * Detects the format of each record: JSON objects by their telltale fields (each record is
     * parsed once), anything else as a CSV row.
     */
    static final class AutoDecoder implements RecordDecoder {
        private static final long serialVersionUID = 1L;

        static final String UNRECOGNISED =
                "unrecognised record: neither a JSON object nor a CSV row of the e-commerce"
                        + " export layout";

        private final CanonicalDecoder canonical = new CanonicalDecoder();
        private final Ga4MeasurementProtocolDecoder ga4;
        private final Ga4BigQueryDecoder ga4BigQuery;
        private final SegmentDecoder segment;
        private final CsvDecoder csv;

        AutoDecoder(String defaultStoreId) {
            ga4 = new Ga4MeasurementProtocolDecoder(defaultStoreId);
            ga4BigQuery = new Ga4BigQueryDecoder(defaultStoreId);
            segment = new SegmentDecoder(defaultStoreId);
            csv = new CsvDecoder(defaultStoreId);
        }

        @Override
        public void decode(byte[] payload, DecodeOutput out) throws InvalidEventException {
            if (!startsWithBrace(payload)) {
                if (CsvDecoder.looksLike(payload)) {
                    csv.decode(payload, out);
                    return;
                }
                throw new InvalidEventException(UNRECOGNISED);
            }
            JsonNode record = ClickEventJson.readObject(payload);
            if (Ga4MeasurementProtocolDecoder.looksLike(record)) {
                ga4.decode(record, out);
            } else if (Ga4BigQueryDecoder.looksLike(record)) {
                ga4BigQuery.decode(record, out);
            } else if (SegmentDecoder.looksLike(record)) {
                segment.decode(record, out);
            } else {
                // Anything else is read as canonical, whose reasons ("missing type") then say
                // what is wrong.
                canonical.decode(record, out);
            }
        }

        private static boolean startsWithBrace(byte[] payload) {
            for (byte b : payload) {
                if (!Character.isWhitespace(b)) {
                    return b == '{';
                }
            }
            return false;
        }
    }
}

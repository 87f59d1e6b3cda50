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
            default -> throw new IllegalArgumentException("format " + format.wireName() + " is not implemented yet");
        };
    }

    /**
     * Detects the format of each record: JSON objects by their telltale fields, anything else as a
     * CSV row. Each JSON record is parsed once.
     */
    static final class AutoDecoder implements RecordDecoder {
        private static final long serialVersionUID = 1L;

        static final String UNRECOGNISED =
                "unrecognised record: neither a JSON object nor a CSV row of the e-commerce"
                        + " export layout";

        private final CanonicalDecoder canonical = new CanonicalDecoder();

        AutoDecoder(String defaultStoreId) {}

        @Override
        public void decode(byte[] payload, DecodeOutput out) throws InvalidEventException {
            if (!startsWithBrace(payload)) {
                throw new InvalidEventException(UNRECOGNISED);
            }
            JsonNode record = ClickEventJson.readObject(payload);
            // Vendor formats have telltale fields; anything else is read as canonical, whose
            // reasons ("missing type") then say what is wrong.
            canonical.decode(record, out);
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

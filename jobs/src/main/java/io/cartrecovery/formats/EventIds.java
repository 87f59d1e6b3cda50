package io.cartrecovery.formats;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Event ids for formats that have none (GA4, CSV exports): a name-based UUID of the fields that
 * make an event unique, so a record sent twice gets the same id and is dropped as a duplicate, and
 * a replay derives the ids the live run derived.
 */
public final class EventIds {
    private EventIds() {}

    public static String derive(String format, String... parts) {
        StringBuilder name = new StringBuilder(format);
        for (String part : parts) {
            name.append('\u001f').append(part == null ? "" : part);
        }
        return UUID.nameUUIDFromBytes(name.toString().getBytes(StandardCharsets.UTF_8)).toString();
    }
}

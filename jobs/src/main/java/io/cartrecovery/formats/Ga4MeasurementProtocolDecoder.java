package io.cartrecovery.formats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.EventType;
import io.cartrecovery.events.InvalidEventException;
import java.util.List;

/**
 * Google Analytics 4 Measurement Protocol request bodies (the JSON a store POSTs to /mp/collect):
 * one device's events, each mapped to a canonical event (docs/formats/ga4.md).
 */
public final class Ga4MeasurementProtocolDecoder implements JsonRecordDecoder {
    private static final long serialVersionUID = 1L;

    private final String defaultStoreId;

    public Ga4MeasurementProtocolDecoder(String defaultStoreId) {
        this.defaultStoreId = defaultStoreId;
    }

    /**
     * Whether a JSON record is of this format (for format detection): an events array and a device
     * id, client_id for web streams or app_instance_id for app streams.
     */
    static boolean looksLike(JsonNode record) {
        return record.path("events").isArray()
                && (record.has("client_id") || record.has("app_instance_id"));
    }

    @Override
    public void decode(JsonNode record, DecodeOutput out) throws InvalidEventException {
        JsonNode events = events(record);
        Body body =
                new Body(
                        deviceId(record),
                        Ga4Fields.text(record.get("user_id"), "user_id"),
                        Ga4Fields.micros(record.get("timestamp_micros"), "timestamp_micros"),
                        Ga4Fields.text(record.get("store_id"), "store_id"));
        for (int i = 0; i < events.size(); i++) {
            try {
                decodeEvent(events.get(i), i, body, out);
            } catch (InvalidEventException e) {
                // One broken event does not take the body's other events down with it.
                out.rejected(e.getMessage());
            }
        }
    }

    /** What all events of a body share. */
    private record Body(String deviceId, String userId, Long micros, String storeId) {}

    private static JsonNode events(JsonNode record) throws InvalidEventException {
        JsonNode events = record.get("events");
        if (JsonFields.absent(events)) {
            throw new InvalidEventException("missing events");
        }
        if (!events.isArray()) {
            throw new InvalidEventException(
                    "events must be an array, not " + JsonFields.shown(events));
        }
        if (events.isEmpty()) {
            throw new InvalidEventException("events is empty");
        }
        return events;
    }

    private static String deviceId(JsonNode record) throws InvalidEventException {
        String clientId = Ga4Fields.text(record.get("client_id"), "client_id");
        if (clientId != null) {
            return clientId;
        }
        String appInstanceId = Ga4Fields.text(record.get("app_instance_id"), "app_instance_id");
        if (appInstanceId == null) {
            throw new InvalidEventException("missing client_id (app_instance_id for app streams)");
        }
        return appInstanceId;
    }

    private void decodeEvent(JsonNode event, int index, Body body, DecodeOutput out)
            throws InvalidEventException {
        String at = "events[" + index + "]";
        if (!event.isObject()) {
            throw new InvalidEventException(
                    at + " must be an object, not " + JsonFields.shown(event));
        }
        String name = Ga4Fields.requiredText(event.get("name"), at + ".name");
        EventType type = Ga4Fields.EVENT_TYPES.get(name);
        if (type == null) {
            out.skipped(name);
            return;
        }
        String p = at + ".params";
        JsonNode params = event.get("params");
        if (JsonFields.absent(params)) {
            params = MissingNode.getInstance();
        } else if (!params.isObject()) {
            throw new InvalidEventException(
                    p + " must be an object, not " + JsonFields.shown(params));
        }

        // GA4 itself would fall back to the time the request arrived; a record carries no such
        // time, and detection runs on event time, so an event without one cannot be placed.
        Long micros = Ga4Fields.micros(event.get("timestamp_micros"), at + ".timestamp_micros");
        if (micros == null) {
            micros = body.micros();
        }
        if (micros == null) {
            throw new InvalidEventException(
                    "missing timestamp_micros: neither "
                            + at
                            + " nor the body has one, and the pipeline needs the event time");
        }

        List<CartLine> items = Ga4Fields.items(params.get("items"), p + ".items");
        if (type.changesItems() && items.isEmpty()) {
            throw new InvalidEventException(
                    "missing " + p + ".items: " + name + " needs at least one item");
        }
        String storeId = Ga4Fields.text(params.get("store_id"), p + ".store_id");
        String eventId = Ga4Fields.text(params.get("event_id"), p + ".event_id");
        if (eventId == null) {
            // The params are part of the id so that two different events of one device with the
            // same time and position in their bodies (say, two single-item bodies) stay apart,
            // while a body sent twice gives the same ids.
            eventId =
                    EventIds.derive(
                            "ga4",
                            body.deviceId(),
                            Long.toString(micros),
                            name,
                            Integer.toString(index),
                            params.toString());
        }
        out.event(
                new ClickEvent(
                        eventId,
                        type,
                        Stores.resolve(
                                storeId != null ? storeId : body.storeId(),
                                defaultStoreId,
                                "store_id"),
                        micros / 1000,
                        Ga4Fields.text(params.get("cart_id"), p + ".cart_id"),
                        body.userId(),
                        body.deviceId(),
                        Ga4Fields.text(params.get("session_id"), p + ".session_id"),
                        Ga4Fields.text(params.get("currency"), p + ".currency"),
                        items,
                        JsonFields.amount(params.get("shipping"), p + ".shipping"),
                        Ga4Fields.text(params.get("transaction_id"), p + ".transaction_id"),
                        null,
                        null));
    }
}

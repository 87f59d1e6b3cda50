package io.cartrecovery.detection;

import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.EventType;
import io.cartrecovery.serialization.Compact;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The events a cart key holds for the watermark, in {@link CartStateSerializer}'s format 2: each
 * event whole (a held event may still be dead-lettered with its canonical JSON), but the ids it
 * shares with the event before it, or with the key's cart for the first, as one bit each (bit i for
 * field i of {@link #fields}), and its time relative to the one before. A quiet cart keeps its last
 * events until its next timer, so these bytes sit in the value for up to a gap.
 */
final class HeldEvents {
    private HeldEvents() {}

    static void write(CartState state, long base, DataOutputView out) throws IOException {
        List<ClickEvent> events = state.held;
        Compact.writeCount(events == null ? 0 : events.size() + 1, out);
        if (events == null) {
            return;
        }
        String[] reference = reference(state);
        long previous = base;
        for (ClickEvent event : events) {
            String[] fields = fields(event);
            int same = 0;
            for (int i = 0; i < fields.length; i++) {
                if (fields[i] != null && fields[i].equals(reference[i])) {
                    same |= 1 << i;
                }
            }
            Compact.writeCount(same, out);
            for (int i = 0; i < fields.length; i++) {
                if ((same & (1 << i)) == 0) {
                    Compact.writeString(fields[i], out);
                }
            }
            Compact.writeString(event.eventId(), out);
            Compact.writeEnum(event.type(), Compact.EVENT_TYPES, out);
            Compact.writeLong(event.eventTime() - previous, out);
            Compact.writeLines(event.items(), out);
            Compact.writeDecimal(event.shippingCost(), out);
            Compact.writeString(event.orderId(), out);
            Compact.writeString(event.errorCode(), out);
            Compact.writeContact(event.contact(), out);
            previous = event.eventTime();
            reference = fields;
        }
    }

    static List<ClickEvent> read(CartState state, long base, DataInputView in) throws IOException {
        int header = Compact.readCount(in);
        if (header == 0) {
            return null;
        }
        List<ClickEvent> events = new ArrayList<>(header);
        String[] reference = reference(state);
        long previous = base;
        for (int n = 0; n < header - 1; n++) {
            int same = Compact.readCount(in);
            String[] fields = new String[reference.length];
            for (int i = 0; i < fields.length; i++) {
                fields[i] = (same & (1 << i)) != 0 ? reference[i] : Compact.readString(in);
            }
            String eventId = Compact.readString(in);
            EventType type = Compact.readEnum(EventType.class, Compact.EVENT_TYPES, in);
            long time = previous + Compact.readLong(in);
            events.add(
                    new ClickEvent(
                            eventId,
                            type,
                            fields[0],
                            time,
                            fields[1],
                            fields[2],
                            fields[3],
                            fields[4],
                            fields[5],
                            Compact.readLines(in, false),
                            Compact.readDecimal(in),
                            Compact.readString(in),
                            Compact.readString(in),
                            Compact.readContact(in)));
            previous = time;
            reference = fields;
        }
        return events;
    }

    /** Store, cart, customer, visitor, session, currency: the order of the bits above. */
    private static String[] fields(ClickEvent event) {
        return new String[] {
            event.storeId(),
            event.cartId(),
            event.customerId(),
            event.anonymousId(),
            event.sessionId(),
            event.currency()
        };
    }

    /** The cart's own ids, which its held events mostly repeat; nothing without a cart. */
    private static String[] reference(CartState state) {
        return new String[] {
            state.storeId, state.cartId, state.customerId, state.anonymousId, null, state.currency
        };
    }
}

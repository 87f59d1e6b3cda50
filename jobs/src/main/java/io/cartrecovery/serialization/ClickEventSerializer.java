package io.cartrecovery.serialization;

import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.EventType;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link ClickEvent} between tasks and in the tracker's held events: every event crosses the
 * shuffle to the cart tracker once and is kept there until the watermark passes it, and Flink's
 * reflective POJO serializer was most of what those cost (docs/PERFORMANCE.md). Events are
 * immutable records, so a copy is the event itself.
 */
public final class ClickEventSerializer extends TypeSerializerSingleton<ClickEvent> {
    private static final long serialVersionUID = 1L;

    public static final ClickEventSerializer INSTANCE = new ClickEventSerializer();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public ClickEvent createInstance() {
        return null;
    }

    @Override
    public ClickEvent copy(ClickEvent from) {
        return from;
    }

    @Override
    public ClickEvent copy(ClickEvent from, ClickEvent reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ClickEvent event, DataOutputView out) throws IOException {
        Fields.writeString(event.eventId(), out);
        Fields.writeEnum(event.type(), out);
        Fields.writeString(event.storeId(), out);
        out.writeLong(event.eventTime());
        Fields.writeString(event.cartId(), out);
        Fields.writeString(event.customerId(), out);
        Fields.writeString(event.anonymousId(), out);
        Fields.writeString(event.sessionId(), out);
        Fields.writeString(event.currency(), out);
        Fields.writeLines(event.items(), out);
        Fields.writeDecimal(event.shippingCost(), out);
        Fields.writeString(event.orderId(), out);
        Fields.writeString(event.errorCode(), out);
        Fields.writeContact(event.contact(), out);
    }

    @Override
    public ClickEvent deserialize(DataInputView in) throws IOException {
        return new ClickEvent(
                Fields.readString(in),
                Fields.readEnum(EventType.class, in),
                Fields.readString(in),
                in.readLong(),
                Fields.readString(in),
                Fields.readString(in),
                Fields.readString(in),
                Fields.readString(in),
                Fields.readString(in),
                Fields.readLines(in, false),
                Fields.readDecimal(in),
                Fields.readString(in),
                Fields.readString(in),
                Fields.readContact(in));
    }

    @Override
    public ClickEvent deserialize(ClickEvent reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<ClickEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1: the fields above, in that order. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ClickEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}

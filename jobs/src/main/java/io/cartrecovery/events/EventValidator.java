package io.cartrecovery.events;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.regex.Pattern;

/**
 * The checks every event passes, whatever format it arrived in: the ids the pipeline keys by, a
 * plausible event time, no negative amounts or quantities. Reasons use the canonical field names.
 */
public final class EventValidator implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Events older than this are taken for broken clocks or wrong units, not for history. */
    public static final Instant EARLIEST_EVENT_TIME = Instant.parse("2000-01-01T00:00:00Z");

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final Duration maxFutureSkew;
    private final InstantSource clock;

    /**
     * @param maxFutureSkew how far past the wall clock an event time may lie
     * @param clock the wall clock for that check
     */
    public EventValidator(Duration maxFutureSkew, InstantSource clock) {
        this.maxFutureSkew = maxFutureSkew;
        this.clock = clock;
    }

    public ClickEvent validate(ClickEvent event) throws InvalidEventException {
        require(event.eventId(), "event_id");
        if (event.type() == null) {
            throw new InvalidEventException("missing type");
        }
        require(event.storeId(), "store_id");
        if (blank(event.cartId()) && blank(event.customerId()) && blank(event.anonymousId())) {
            throw new InvalidEventException(
                    "missing cart_id, customer_id and anonymous_id: one of them is required");
        }
        Instant time = Instant.ofEpochMilli(event.eventTime());
        if (time.isBefore(EARLIEST_EVENT_TIME)) {
            throw new InvalidEventException(
                    "absurd event_time " + time + ": before " + EARLIEST_EVENT_TIME);
        }
        if (time.isAfter(clock.instant().plus(maxFutureSkew))) {
            throw new InvalidEventException(
                    "absurd event_time "
                            + time
                            + ": more than "
                            + maxFutureSkew
                            + " in the future");
        }
        if (event.type().changesItems() && event.items().isEmpty()) {
            throw new InvalidEventException(event.type().wireName() + " needs at least one item");
        }
        for (int i = 0; i < event.items().size(); i++) {
            CartLine line = event.items().get(i);
            if (blank(line.productId())) {
                throw new InvalidEventException("missing items[" + i + "].product_id");
            }
            if (line.quantity() < 0) {
                throw new InvalidEventException(
                        "negative items[" + i + "].quantity (" + line.quantity() + ")");
            }
            if (line.unitPrice() != null && line.unitPrice().signum() < 0) {
                throw new InvalidEventException(
                        "negative items["
                                + i
                                + "].price ("
                                + line.unitPrice().toPlainString()
                                + ")");
            }
        }
        if (event.shippingCost() != null && event.shippingCost().signum() < 0) {
            throw new InvalidEventException(
                    "negative shipping_cost (" + event.shippingCost().toPlainString() + ")");
        }
        if (event.currency() != null && !CURRENCY.matcher(event.currency()).matches()) {
            throw new InvalidEventException(
                    "currency '" + event.currency() + "' is not an ISO 4217 code like EUR");
        }
        return event;
    }

    private static void require(String value, String field) throws InvalidEventException {
        if (blank(value)) {
            throw new InvalidEventException("missing " + field);
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}

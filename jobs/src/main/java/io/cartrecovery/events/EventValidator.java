package io.cartrecovery.events;

import io.cartrecovery.ingest.Limits;
import io.cartrecovery.ingest.TextChecks;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Currency;
import java.util.regex.Pattern;

/**
 * The checks every event passes, whatever format it arrived in: the ids the pipeline keys by, a
 * plausible event time, amounts in the money range, sizes within the limits (docs/limits.md).
 * Reasons use the canonical field names.
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
        id(event.eventId(), "event_id");
        id(event.storeId(), "store_id");
        id(event.cartId(), "cart_id");
        id(event.customerId(), "customer_id");
        id(event.anonymousId(), "anonymous_id");
        id(event.sessionId(), "session_id");
        id(event.orderId(), "order_id");
        id(event.errorCode(), "error");
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
        if (event.items().size() > Limits.MAX_ITEMS) {
            throw new InvalidEventException(
                    "items has "
                            + event.items().size()
                            + " lines, above the limit of "
                            + Limits.MAX_ITEMS);
        }
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < event.items().size(); i++) {
            CartLine line = event.items().get(i);
            String at = "items[" + i + "]";
            if (blank(line.productId())) {
                throw new InvalidEventException("missing " + at + ".product_id");
            }
            id(line.productId(), at + ".product_id");
            name(line.name(), at + ".name");
            if (line.quantity() < 0) {
                throw new InvalidEventException(
                        "negative " + at + ".quantity (" + line.quantity() + ")");
            }
            if (line.quantity() > Limits.MAX_QUANTITY) {
                throw new InvalidEventException(
                        at
                                + ".quantity "
                                + line.quantity()
                                + " above the limit of "
                                + Limits.MAX_QUANTITY);
            }
            if (line.unitPrice() != null) {
                money(line.unitPrice(), at + ".price");
                total = total.add(line.lineTotal());
            }
        }
        // Each price is in range, so this sum is small enough to compute; it must be in range
        // too, as the cart's value is made of such sums (docs/limits.md).
        String totalProblem = Amounts.problem(total, "event total");
        if (totalProblem != null) {
            throw new InvalidEventException(totalProblem);
        }
        if (event.shippingCost() != null) {
            money(event.shippingCost(), "shipping_cost");
        }
        if (event.currency() != null && !isoCurrency(event.currency())) {
            throw new InvalidEventException(
                    "currency '" + shown(event.currency()) + "' is not an ISO 4217 code like EUR");
        }
        if (event.contact() != null) {
            name(event.contact().name(), "traits.name");
            name(event.contact().email(), "traits.email");
            name(event.contact().phone(), "traits.phone");
        }
        return event;
    }

    /** An amount never negative, in the money range. */
    private static void money(BigDecimal amount, String field) throws InvalidEventException {
        if (amount.signum() < 0) {
            throw new InvalidEventException(
                    "negative " + field + " (" + Amounts.shown(amount) + ")");
        }
        String problem = Amounts.problem(amount, field);
        if (problem != null) {
            throw new InvalidEventException(problem);
        }
    }

    private static boolean isoCurrency(String code) {
        if (!CURRENCY.matcher(code).matches()) {
            return false;
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void id(String value, String field) throws InvalidEventException {
        String problem = TextChecks.id(value, field);
        if (problem != null) {
            throw new InvalidEventException(problem);
        }
    }

    private static void name(String value, String field) throws InvalidEventException {
        String problem = TextChecks.name(value, field);
        if (problem != null) {
            throw new InvalidEventException(problem);
        }
    }

    /** A short value from the record, as a reason may show it: control characters hidden. */
    private static String shown(String value) {
        String cut = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints()
                .forEach(
                        c ->
                                out.appendCodePoint(
                                        Character.isISOControl(c)
                                                        || Character.getType(c)
                                                                == Character.SURROGATE
                                                ? '?'
                                                : c));
        return out.toString();
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

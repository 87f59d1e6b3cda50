package io.cartrecovery.testing;

import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.events.ContactDetails;
import io.cartrecovery.events.EventType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Named instants and an event builder shared by the tests. */
public final class Events {
    private Events() {}

    /** All scenarios start here. */
    public static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    public static final Duration GAP = Duration.ofMinutes(10);

    public static final String STORE = "shop-1";

    private static final AtomicLong IDS = new AtomicLong();

    /** Event time {@code minutes} after T0, epoch millis. */
    public static long minutes(double minutes) {
        return T0.toEpochMilli() + (long) (minutes * 60_000);
    }

    public static Builder event(EventType type) {
        return new Builder(type);
    }

    public static Builder add(String product, int quantity, String price) {
        return event(EventType.ADD_TO_CART).item(product, quantity, price);
    }

    public static Builder remove(String product, int quantity) {
        return event(EventType.REMOVE_FROM_CART).item(product, quantity, null);
    }

    public static Builder purchase() {
        return event(EventType.PURCHASE).orderId("order-" + IDS.incrementAndGet());
    }

    /** Fluent builder; defaults: store {@link #STORE}, customer "cust-1", EUR, time T0. */
    public static final class Builder {
        private final EventType type;
        private String eventId = "evt-" + IDS.incrementAndGet();
        private String store = STORE;
        private long time = T0.toEpochMilli();
        private String cartId;
        private String customerId = "cust-1";
        private String anonymousId;
        private String sessionId;
        private String currency = "EUR";
        private final List<CartLine> items = new ArrayList<>();
        private BigDecimal shipping;
        private String orderId;
        private String error;
        private ContactDetails contact;

        private Builder(EventType type) {
            this.type = type;
        }

        public Builder id(String id) {
            this.eventId = id;
            return this;
        }

        public Builder store(String store) {
            this.store = store;
            return this;
        }

        public Builder at(long epochMillis) {
            this.time = epochMillis;
            return this;
        }

        public Builder atMinute(double minutes) {
            return at(minutes(minutes));
        }

        public Builder cart(String cartId) {
            this.cartId = cartId;
            return this;
        }

        public Builder customer(String customerId) {
            this.customerId = customerId;
            return this;
        }

        /** An anonymous visitor (no customer id). */
        public Builder visitor(String anonymousId) {
            this.anonymousId = anonymousId;
            this.customerId = null;
            return this;
        }

        /** A logged-in shopper's event that also carries their visitor id. */
        public Builder alsoVisitor(String anonymousId) {
            this.anonymousId = anonymousId;
            return this;
        }

        public Builder session(String sessionId) {
            this.sessionId = sessionId;
            return this;
        }

        public Builder currency(String currency) {
            this.currency = currency;
            return this;
        }

        public Builder item(String product, int quantity, String price) {
            items.add(
                    new CartLine(
                            product,
                            "Product " + product,
                            quantity,
                            price == null ? null : new BigDecimal(price)));
            return this;
        }

        public Builder shipping(String cost) {
            this.shipping = new BigDecimal(cost);
            return this;
        }

        public Builder orderId(String orderId) {
            this.orderId = orderId;
            return this;
        }

        public Builder error(String error) {
            this.error = error;
            return this;
        }

        /** Traits of an identify event. */
        public Builder contact(String name, String email, String phone) {
            this.contact = new ContactDetails(name, email, phone);
            return this;
        }

        public ClickEvent build() {
            return new ClickEvent(
                    eventId,
                    type,
                    store,
                    time,
                    cartId,
                    customerId,
                    anonymousId,
                    sessionId,
                    currency,
                    List.copyOf(items),
                    shipping,
                    orderId,
                    error,
                    contact);
        }

        public String json() {
            return new String(ClickEventJson.toJson(build()), StandardCharsets.UTF_8);
        }
    }
}

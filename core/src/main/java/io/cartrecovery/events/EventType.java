package io.cartrecovery.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The clickstream event types of the canonical format, by their wire name. */
public enum EventType {
    PAGE_VIEW("page_view", null),
    PRODUCT_VIEW("product_view", null),
    ADD_TO_CART("add_to_cart", Stage.CART),
    REMOVE_FROM_CART("remove_from_cart", Stage.CART),
    CART_VIEW("cart_view", Stage.CART),
    CHECKOUT_START("checkout_start", Stage.CHECKOUT),
    CHECKOUT_ERROR("checkout_error", Stage.CHECKOUT),
    SHIPPING_INFO("shipping_info", Stage.SHIPPING),
    PAYMENT_INFO("payment_info", Stage.PAYMENT),
    PAYMENT_FAILED("payment_failed", Stage.PAYMENT),
    PURCHASE("purchase", null),
    IDENTIFY("identify", null);

    private static final Map<String, EventType> BY_WIRE_NAME =
            Arrays.stream(values()).collect(Collectors.toMap(t -> t.wireName, Function.identity()));

    private final String wireName;
    private final Stage stage;

    EventType(String wireName, Stage stage) {
        this.wireName = wireName;
        this.stage = stage;
    }

    public String wireName() {
        return wireName;
    }

    /** The checkout stage this event shows the shopper reached, or null when it shows none. */
    public Stage stage() {
        return stage;
    }

    /** Whether the event carries cart lines that change the cart's contents. */
    public boolean changesItems() {
        return this == ADD_TO_CART || this == REMOVE_FROM_CART;
    }

    public static Optional<EventType> fromWireName(String name) {
        return Optional.ofNullable(BY_WIRE_NAME.get(name));
    }
}

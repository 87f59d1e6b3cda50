package io.cartrecovery.events;

import java.util.Locale;

/**
 * How far into checkout a cart got; later constants are further along. The inactivity gap that
 * declares a cart abandoned can be set per furthest stage.
 */
public enum Stage {
    CART,
    CHECKOUT,
    SHIPPING,
    PAYMENT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Stage furthest(Stage a, Stage b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }
}

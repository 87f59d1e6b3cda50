package io.cartrecovery.detection;

import java.util.Locale;

/**
 * Why the shopper probably left, from the strong signals the CEP patterns find. Declared strongest
 * first: when a cart shows several signals, the earliest constant wins, so the hint does not depend
 * on the order the signals arrive in.
 */
public enum ReasonHint {
    /** Payment failed repeatedly. */
    PAYMENT_PROBLEM,
    /** A shipping cost was shown, then the shopper never went on to pay. */
    UNEXPECTED_COSTS,
    /** Repeated checkout errors, or a checkout that dragged on. */
    COMPLICATED_CHECKOUT,
    /** No strong signal. */
    UNKNOWN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ReasonHint strongest(ReasonHint a, ReasonHint b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.ordinal() <= b.ordinal() ? a : b;
    }
}

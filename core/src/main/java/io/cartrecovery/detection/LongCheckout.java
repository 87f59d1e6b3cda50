package io.cartrecovery.detection;

import io.cartrecovery.events.EventType;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The long-checkout signal: the shopper started checkout and, without buying, was still active
 * {@code threshold} or more later, within {@code window} of that start. Plain code the cart tracker
 * runs on each event of an open cart, in event-time order.
 *
 * <p>It was a CEP pattern ({@code checkout_start}, not followed by a purchase, followed by any
 * event {@code threshold} later, within the window, skipping past the match). As its last step
 * takes any event, that operator had to buffer every event of every cart and keep a partial match
 * per cart in checkout, which made it the costliest operator of the job; here it is a few
 * timestamps in the tracker's cart state. The results are the same: a match needs a start {@code s}
 * with {@code threshold <= t - s < window} for a later event at {@code t} that is not a purchase (a
 * purchase ends the cart, and with it its starts); after a match, the starts up to it are used up.
 */
final class LongCheckout implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Starts remembered per cart. Each stays at most the window; a shopper restarting checkout more
     * often than this within it gains nothing from more, as the earliest starts match first.
     */
    static final int MAX_STARTS = 8;

    private final long thresholdMillis;
    private final long windowMillis;

    LongCheckout(long thresholdMillis, long windowMillis) {
        this.thresholdMillis = thresholdMillis;
        this.windowMillis = windowMillis;
    }

    /**
     * Applies an event of an open cart to its checkout starts; true if the event completes a long
     * checkout.
     */
    boolean observe(CartState state, EventType type, long time) {
        long[] starts = unexpired(state.checkoutStarts, time);
        boolean matched = false;
        for (long start : starts) {
            if (time - start >= thresholdMillis) {
                matched = true;
                break;
            }
        }
        if (matched) {
            // The match used up every start before it, and this event with them.
            state.checkoutStarts = EMPTY;
            return true;
        }
        if (type == EventType.CHECKOUT_START && starts.length < MAX_STARTS) {
            starts = Arrays.copyOf(starts, starts.length + 1);
            starts[starts.length - 1] = time;
        }
        state.checkoutStarts = starts;
        return false;
    }

    private long[] unexpired(long[] starts, long time) {
        if (starts == null) {
            return EMPTY;
        }
        int kept = 0;
        for (long start : starts) {
            if (time - start < windowMillis) {
                kept++;
            }
        }
        if (kept == starts.length) {
            return starts;
        }
        long[] result = new long[kept];
        int i = 0;
        for (long start : starts) {
            if (time - start < windowMillis) {
                result[i++] = start;
            }
        }
        return result;
    }

    private static final long[] EMPTY = new long[0];
}

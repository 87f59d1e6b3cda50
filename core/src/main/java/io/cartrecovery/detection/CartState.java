package io.cartrecovery.detection;

import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.ContactDetails;
import io.cartrecovery.events.Stage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Keyed state of one cart key in {@code CartTracker}: its open cart, if any ({@link #hasCart}), the
 * events and signals held until the watermark passes them, and the ids of the events seen. One
 * value, so the tracker reads and writes the key once per event (with RocksDB each access is a
 * lookup and a (de)serialization). A Flink POJO: public fields, no-arg constructor. The cart lives
 * from the first item until purchase, emptying, or the end of the task retention after abandonment;
 * the value lives while anything of the key is left.
 *
 * <p>Fields added after the first release restore as zero / null from an older savepoint (Flink's
 * POJO schema evolution): an older value is an open cart with nothing held and no ids seen.
 */
public class CartState {
    public String cartId;
    public String storeId;
    public String customerId;
    public String anonymousId;
    public String currency;
    public List<CartLine> items = new ArrayList<>();
    public Stage stage;
    public ReasonHint reason;
    public BigDecimal shippingCost;
    public long openedAt;
    public long lastActivity;

    /** Event time of the cart's deadline: the end of its gap, or of retention; 0 if none. */
    public long deadline;

    /**
     * Event time of the key's one event-time timer, at or before anything due ({@link
     * DeadlineTimer}): the deadline, a held event that needs deciding, the ids' expiry; 0 if none,
     * or, in a cart stored before it existed, at the deadline itself.
     */
    public long deadlineTimer;

    /** Reported abandoned and quiet since. */
    public boolean abandoned;

    /** A task has gone out for this cart, so its end must cancel it. */
    public boolean taskOut;

    /**
     * Distinct viewed products are counted up to this many. The priority model stops rewarding long
     * before it, and the cap keeps a cart's state a fixed size however long the shopper browses.
     */
    static final int MAX_VIEWED_PRODUCTS = 32;

    // Session behaviour (SessionStats). Fields added after the first release: a savepoint taken
    // before them restores them as zero / null (Flink's POJO schema evolution).

    /** Page, product and cart views. */
    public int views;

    /** Hashes of the distinct products viewed, at most {@link #MAX_VIEWED_PRODUCTS}. */
    public int[] viewedProducts = new int[0];

    /** Earliest event time of the cart's events (a late event may precede the opening one). */
    public long firstSeenAt;

    /** Bit per checkout stage reached ({@code 1 << Stage.ordinal()}), cart stage excluded. */
    public int checkoutSteps;

    /** Payment failures and checkout errors. */
    public int errors;

    /** Latest details of the cart's identify events, field by field; personal data. */
    public ContactDetails identified;

    /** Times of the checkout starts that may still make a long checkout ({@link LongCheckout}). */
    public long[] checkoutStarts = new long[0];

    /**
     * Time of the earliest shipping cost shown and not yet answered by a payment step; 0 if none
     * ({@link UnexpectedCosts}).
     */
    public long costShownAt;

    /**
     * Events waiting for the watermark, in event-time order (arrival order within a millisecond);
     * {@code null} for none. The watermark trails the events by the out-of-orderness bound, so a
     * key holds the last few seconds of its events.
     */
    public List<ClickEvent> held;

    /** Signals waiting for the watermark, by effective time; {@code null} for none. */
    public List<ReasonSignal> heldSignals;

    /** The ids of the key's events within the de-duplication's retention ({@link SeenIds}). */
    public long[] seenIds;

    public CartState() {}

    /** Whether a cart is open: an empty value holds only held events or ids seen. */
    boolean hasCart() {
        return cartId != null;
    }

    /** Forgets the cart (bought, emptied, retention over); held events and ids seen stay. */
    void clearCart() {
        cartId = null;
        storeId = null;
        customerId = null;
        anonymousId = null;
        currency = null;
        items = new ArrayList<>();
        stage = null;
        reason = null;
        shippingCost = null;
        openedAt = 0;
        lastActivity = 0;
        deadline = 0;
        abandoned = false;
        taskOut = false;
        views = 0;
        viewedProducts = new int[0];
        firstSeenAt = 0;
        checkoutSteps = 0;
        errors = 0;
        identified = null;
        checkoutStarts = new long[0];
        costShownAt = 0;
    }

    /** Whether nothing of the key is left to keep. */
    boolean isEmpty() {
        return !hasCart()
                && (held == null || held.isEmpty())
                && (heldSignals == null || heldSignals.isEmpty())
                && seenIds == null;
    }

    /** Adds (or with a negative delta removes) units of a product; lines at zero disappear. */
    void change(CartLine delta, int sign) {
        for (int i = 0; i < items.size(); i++) {
            CartLine line = items.get(i);
            if (line.productId().equals(delta.productId())) {
                // Saturates rather than wraps: many adds of a large quantity must not turn into
                // a line at zero.
                int quantity =
                        (int)
                                Math.max(
                                        0,
                                        Math.min(
                                                Integer.MAX_VALUE,
                                                (long) line.quantity()
                                                        + (long) sign * delta.quantity()));
                if (quantity == 0) {
                    items.remove(i);
                } else {
                    // A newer price or name wins; a missing one keeps what was known.
                    items.set(
                            i,
                            new CartLine(
                                    line.productId(),
                                    delta.name() != null ? delta.name() : line.name(),
                                    quantity,
                                    delta.unitPrice() != null
                                            ? delta.unitPrice()
                                            : line.unitPrice()));
                }
                return;
            }
        }
        if (sign > 0 && delta.quantity() > 0) {
            items.add(delta);
        }
    }

    /** Replaces the contents with a full snapshot (checkout events may carry the whole cart). */
    void replace(List<CartLine> snapshot) {
        items = new ArrayList<>();
        for (CartLine line : snapshot) {
            if (line.quantity() > 0) {
                change(line, 1);
            }
        }
    }

    /** Counts a product view; a product hash already seen, or one past the cap, changes nothing. */
    void viewed(String productId) {
        int hash = productId.hashCode();
        for (int seen : viewedProducts) {
            if (seen == hash) {
                return;
            }
        }
        if (viewedProducts.length < MAX_VIEWED_PRODUCTS) {
            int[] grown = Arrays.copyOf(viewedProducts, viewedProducts.length + 1);
            grown[viewedProducts.length] = hash;
            viewedProducts = grown;
        }
    }

    SessionStats session() {
        long first = firstSeenAt == 0 ? openedAt : Math.min(firstSeenAt, openedAt);
        return new SessionStats(
                views,
                viewedProducts.length,
                Math.max(0, lastActivity - first),
                Integer.bitCount(checkoutSteps),
                errors,
                0);
    }

    /**
     * The value the cart would have with {@code lines} added ({@code sign} 1) or removed (-1), the
     * cart itself unchanged: {@code CartTracker} refuses an event that would take it out of the
     * money range (docs/limits.md).
     */
    BigDecimal valueAfter(List<CartLine> lines, int sign) {
        CartState copy = new CartState();
        copy.items = new ArrayList<>(items);
        for (CartLine line : lines) {
            copy.change(line, sign);
        }
        return copy.value();
    }

    BigDecimal value() {
        return items.stream().map(CartLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}

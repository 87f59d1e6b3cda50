package io.cartrecovery.detection;

import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.ContactDetails;
import io.cartrecovery.events.Stage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Keyed state of one open cart in {@link CartTracker}. A Flink POJO: public fields, no-arg
 * constructor. Lives from the first item until purchase, emptying, or the end of the task retention
 * after abandonment.
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
     * Event time the deadline's timer is set for, at or before {@link #deadline} ({@link
     * DeadlineTimer}); 0 if none, or, in a cart stored before it existed, at the deadline itself.
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

    public CartState() {}

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
     * cart itself unchanged: {@link CartTracker} refuses an event that would take it out of the
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

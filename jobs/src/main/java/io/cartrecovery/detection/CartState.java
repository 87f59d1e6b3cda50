package io.cartrecovery.detection;

import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.Stage;
import java.math.BigDecimal;
import java.util.ArrayList;
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

    /** Event time of the cart's deadline timer: the end of its gap, or of retention; 0 if none. */
    public long deadline;

    /** Reported abandoned and quiet since. */
    public boolean abandoned;

    /** A task has gone out for this cart, so its end must cancel it. */
    public boolean taskOut;

    public CartState() {}

    /** Adds (or with a negative delta removes) units of a product; lines at zero disappear. */
    void change(CartLine delta, int sign) {
        for (int i = 0; i < items.size(); i++) {
            CartLine line = items.get(i);
            if (line.productId().equals(delta.productId())) {
                int quantity = Math.max(0, line.quantity() + sign * delta.quantity());
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

    BigDecimal value() {
        return items.stream().map(CartLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}

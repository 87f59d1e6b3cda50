package io.cartrecovery.followup;

import io.cartrecovery.compliance.ContactHistory;
import java.util.List;
import java.util.Map;

/**
 * What the follow-up keeps of one customer, as {@link FollowUpRules} reads and changes it. The
 * job's operator backs it with keyed state (one handle per part, so a cart is read and written
 * alone); tests and tools back it with maps ({@link InMemoryCustomerState}).
 */
public interface CustomerState {

    /** The customer's tracked carts: sequences running, or waiting for attribution. */
    CartSequence cart(String cartId);

    void putCart(String cartId, CartSequence sequence);

    void removeCart(String cartId);

    /** Every tracked cart by cart id, in no particular order. */
    Iterable<Map.Entry<String, CartSequence>> carts();

    /** Decided carts, purchases, cart ends and outcomes waiting for event time to reach them. */
    List<FollowUpInput> pending();

    void addPending(FollowUpInput input);

    void setPending(List<FollowUpInput> inputs);

    /** Do-not-contact and the channels outcomes took out of use; null when none. */
    CustomerBlocks blocks();

    /** Null forgets them. */
    void setBlocks(CustomerBlocks blocks);

    /** Whether a purchase of this order key was applied while carts are tracked. */
    boolean hasOrder(String orderKey);

    void putOrder(String orderKey, long at);

    void removeOrder(String orderKey);

    void clearOrders();

    /** Every contact planned for the customer, for the frequency caps; null when none. */
    ContactHistory history();

    void setHistory(ContactHistory history);

    void clearHistory();

    /** A purchase applied in the last hour of event time, by order key; null when none. */
    Purchase recentPurchase(String orderKey);

    void putRecentPurchase(String orderKey, Purchase purchase);

    void removeRecentPurchase(String orderKey);

    Iterable<Map.Entry<String, Purchase>> recentPurchases();
}

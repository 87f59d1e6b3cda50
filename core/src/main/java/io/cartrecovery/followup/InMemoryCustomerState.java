package io.cartrecovery.followup;

import io.cartrecovery.compliance.ContactHistory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A customer's follow-up state in plain maps: for the rules' tests, and for anything that runs the
 * rules outside a Flink job. The rules change the objects they get back, then put them back, as
 * with keyed state.
 */
public final class InMemoryCustomerState implements CustomerState {
    private final Map<String, CartSequence> carts = new HashMap<>();
    private List<FollowUpInput> pending = new ArrayList<>();
    private CustomerBlocks blocks;
    private final Map<String, Long> orders = new HashMap<>();
    private ContactHistory history;
    private final Map<String, Purchase> recentPurchases = new HashMap<>();

    @Override
    public CartSequence cart(String cartId) {
        return carts.get(cartId);
    }

    @Override
    public void putCart(String cartId, CartSequence sequence) {
        carts.put(cartId, sequence);
    }

    @Override
    public void removeCart(String cartId) {
        carts.remove(cartId);
    }

    @Override
    public Iterable<Map.Entry<String, CartSequence>> carts() {
        return new ArrayList<>(carts.entrySet());
    }

    @Override
    public List<FollowUpInput> pending() {
        return new ArrayList<>(pending);
    }

    @Override
    public void addPending(FollowUpInput input) {
        pending.add(input);
    }

    @Override
    public void setPending(List<FollowUpInput> inputs) {
        pending = new ArrayList<>(inputs);
    }

    @Override
    public CustomerBlocks blocks() {
        return blocks;
    }

    @Override
    public void setBlocks(CustomerBlocks blocks) {
        this.blocks = blocks;
    }

    @Override
    public boolean hasOrder(String orderKey) {
        return orders.containsKey(orderKey);
    }

    @Override
    public void putOrder(String orderKey, long at) {
        orders.put(orderKey, at);
    }

    @Override
    public void removeOrder(String orderKey) {
        orders.remove(orderKey);
    }

    @Override
    public void clearOrders() {
        orders.clear();
    }

    @Override
    public ContactHistory history() {
        return history;
    }

    @Override
    public void setHistory(ContactHistory history) {
        this.history = history;
    }

    @Override
    public void clearHistory() {
        history = null;
    }

    @Override
    public Purchase recentPurchase(String orderKey) {
        return recentPurchases.get(orderKey);
    }

    @Override
    public void putRecentPurchase(String orderKey, Purchase purchase) {
        recentPurchases.put(orderKey, purchase);
    }

    @Override
    public void removeRecentPurchase(String orderKey) {
        recentPurchases.remove(orderKey);
    }

    @Override
    public Iterable<Map.Entry<String, Purchase>> recentPurchases() {
        return new ArrayList<>(recentPurchases.entrySet());
    }

    /** Whether nothing is kept: the customer's state would be gone from a keyed store. */
    public boolean isEmpty() {
        return carts.isEmpty()
                && pending.isEmpty()
                && blocks == null
                && orders.isEmpty()
                && history == null
                && recentPurchases.isEmpty();
    }
}

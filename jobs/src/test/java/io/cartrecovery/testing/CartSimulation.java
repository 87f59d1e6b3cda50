package io.cartrecovery.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The documented cart semantics (docs/detection.md), simulated without the pipeline's classes, for
 * replays of real samples: per shopper, rows in time order (input order for ties); a cart row opens
 * a cart, named after its shopper and opening time ({@code customer/ID/OPENED_MS}); every row of
 * the shopper is activity; a purchase closes the cart, a remove that empties it too. An open cart
 * that stays quiet for more than the gap before the shopper's next row, or for at least the gap
 * before the input's last time, is reported, and again each time it comes back and goes quiet.
 */
public final class CartSimulation {
    /**
     * One row of a shopper: type is {@code cart}, {@code remove_from_cart}, {@code purchase} or
     * anything else (activity only).
     */
    public record Row(String shopper, long time, String type, String product) {}

    public final Set<String> abandonedCarts = new TreeSet<>();

    /** Carts that were reported and then closed by a purchase or by emptying. */
    public final Set<String> closedAfterReport = new TreeSet<>();

    public int reports;
    public int cancels;
    public int opened;
    public int closed;
    public int openAtEnd;

    private CartSimulation() {}

    /** Rows as read (repeats already removed); the input's last time ends the simulation. */
    public static CartSimulation of(List<Row> rows, long gap) {
        CartSimulation simulation = new CartSimulation();
        Map<String, List<Row>> byShopper = new LinkedHashMap<>();
        long end = Long.MIN_VALUE;
        for (Row row : rows) {
            byShopper.computeIfAbsent(row.shopper(), s -> new ArrayList<>()).add(row);
            end = Math.max(end, row.time());
        }
        for (Map.Entry<String, List<Row>> shopper : byShopper.entrySet()) {
            simulation.follow(shopper.getKey(), shopper.getValue(), end, gap);
        }
        return simulation;
    }

    private void follow(String shopper, List<Row> rows, long end, long gap) {
        List<Row> ordered = new ArrayList<>(rows);
        ordered.sort(Comparator.comparingLong(Row::time));
        String cart = null;
        Map<String, Integer> items = new HashMap<>();
        boolean reported = false;
        long lastActivity = 0;
        for (Row row : ordered) {
            if (cart != null && row.time() - lastActivity > gap) {
                reports++;
                abandonedCarts.add(cart);
                reported = true;
            }
            switch (row.type()) {
                case "cart" -> {
                    if (cart == null) {
                        cart = "customer/" + shopper + "/" + row.time();
                        reported = false;
                        opened++;
                    }
                    items.merge(row.product(), 1, Integer::sum);
                }
                // Without an open cart, items is empty: both do nothing.
                case "remove_from_cart" ->
                        items.computeIfPresent(row.product(), (p, n) -> n > 1 ? n - 1 : null);
                case "purchase" -> items.clear();
                default -> {}
            }
            if (cart != null && items.isEmpty()) {
                if (reported) {
                    cancels++;
                    closedAfterReport.add(cart);
                }
                closed++;
                cart = null;
            }
            lastActivity = row.time();
        }
        if (cart != null && end - lastActivity >= gap) {
            reports++;
            abandonedCarts.add(cart);
        } else if (cart != null) {
            openAtEnd++;
        }
    }
}

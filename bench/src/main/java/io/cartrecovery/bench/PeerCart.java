package io.cartrecovery.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The peer's cart, one per session window: the abandonment rule of docs/clickstream.md as a team
 * would write it from the page, without this project's code. A cart opens with the first event that
 * puts items in it, adds and removes change quantities, cart-stage events with items replace the
 * contents, a purchase or an emptied cart closes it. Jackson writes it to the state stores.
 */
public final class PeerCart {
    private static final Set<String> STAGE_TYPES =
            Set.of(
                    "add_to_cart",
                    "remove_from_cart",
                    "cart_view",
                    "checkout_start",
                    "checkout_error",
                    "shipping_info",
                    "payment_info",
                    "payment_failed");

    /** The cart's name as the pipeline gives it: the store's cart id, or owner and open time. */
    public String name;

    public Map<String, Integer> items = new LinkedHashMap<>();

    /** Event ids seen in this session: tracker retries are dropped. */
    public List<String> seen = new ArrayList<>();

    public boolean open;

    public PeerCart apply(JsonNode event) {
        String eventId = event.path("event_id").asText();
        if (seen.contains(eventId)) {
            return this;
        }
        seen.add(eventId);
        String type = event.path("type").asText();
        JsonNode lines = event.path("items");
        boolean carriesCart = STAGE_TYPES.contains(type) && lines.size() > 0;
        if ("purchase".equals(type)) {
            close();
            return this;
        }
        if (!open) {
            if ("remove_from_cart".equals(type) || !carriesCart || !anyPositive(lines)) {
                return this;
            }
            open = true;
            name = name(event);
        }
        switch (type) {
            case "add_to_cart" -> lines.forEach(l -> items.merge(id(l), quantity(l), Integer::sum));
            case "remove_from_cart" ->
                    lines.forEach(
                            l ->
                                    items.computeIfPresent(
                                            id(l), (k, q) -> positive(q - quantity(l))));
            default -> {
                if (carriesCart) {
                    items.clear();
                    lines.forEach(l -> items.compute(id(l), (k, q) -> positive(quantity(l))));
                }
            }
        }
        if (items.isEmpty()) {
            close();
        }
        return this;
    }

    /** Two sessions joined by a late event: the later one knows the cart as it is now. */
    public static PeerCart merge(PeerCart earlier, PeerCart later) {
        return later.open || later.name != null ? later : earlier;
    }

    public boolean abandoned() {
        return open && !items.isEmpty();
    }

    private void close() {
        open = false;
        items.clear();
    }

    private static String name(JsonNode event) {
        String store = event.path("store_id").asText();
        if (has(event, "cart_id")) {
            return store + "/" + event.get("cart_id").asText();
        }
        String owner =
                has(event, "customer_id")
                        ? "customer/" + event.get("customer_id").asText()
                        : "visitor/" + event.path("anonymous_id").asText();
        long openedAt = Instant.parse(event.path("event_time").asText()).toEpochMilli();
        return store + "/" + owner + "/" + openedAt;
    }

    private static boolean has(JsonNode event, String field) {
        JsonNode value = event.get(field);
        return value != null && !value.isNull() && !value.asText().isBlank();
    }

    private static boolean anyPositive(JsonNode lines) {
        for (JsonNode line : lines) {
            if (quantity(line) > 0) {
                return true;
            }
        }
        return false;
    }

    private static String id(JsonNode line) {
        return line.path("product_id").asText();
    }

    private static int quantity(JsonNode line) {
        JsonNode quantity = line.get("quantity");
        return quantity == null || quantity.isNull() ? 1 : quantity.asInt();
    }

    private static Integer positive(int quantity) {
        return quantity > 0 ? quantity : null;
    }
}

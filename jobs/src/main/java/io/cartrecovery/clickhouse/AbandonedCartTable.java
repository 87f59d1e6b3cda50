package io.cartrecovery.clickhouse;

import static io.cartrecovery.clickhouse.FactTable.money;
import static io.cartrecovery.clickhouse.FactTable.seconds;

import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.events.CartLine;
import java.util.List;

/** Abandoned carts: one row per cart, the latest report of it winning. */
final class AbandonedCartTable implements FactTable<AbandonedCart> {
    private static final long serialVersionUID = 1L;

    @Override
    public String table() {
        return "abandoned_carts";
    }

    @Override
    public List<String> columns() {
        return List.of(
                "store_id",
                "cart_id",
                "customer_id",
                "stage",
                "reason",
                "cart_value",
                "currency",
                "item_count",
                "line_count",
                "shipping_cost",
                "opened_at",
                "abandoned_at",
                "detected_at",
                "gap_seconds",
                "contactable",
                "version");
    }

    @Override
    public Object[] row(AbandonedCart cart, long version, CustomerIds ids) {
        return new Object[] {
            cart.storeId(),
            ids.cartId(cart.cartId()),
            ids.customerId(cart.customerId()),
            cart.stage().wireName(),
            cart.reason().wireName(),
            money(cart.cartValue()),
            cart.currency(),
            cart.items().stream().mapToLong(CartLine::quantity).sum(),
            cart.items().size(),
            money(cart.shippingCost()),
            seconds(cart.openedAt()),
            seconds(cart.abandonedAt()),
            seconds(cart.detectedAt()),
            cart.gapMillis() / 1000,
            cart.contactable() ? 1 : 0,
            version
        };
    }
}

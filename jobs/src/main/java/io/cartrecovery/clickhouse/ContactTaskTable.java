package io.cartrecovery.clickhouse;

import static io.cartrecovery.clickhouse.FactTable.money;
import static io.cartrecovery.clickhouse.FactTable.seconds;

import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.CartClosed;
import io.cartrecovery.tasks.ContactTask;
import java.util.List;

/**
 * Contact task records: one row per task and type, so a cancel does not replace its create. A
 * create carries the cart's dimensions (stage, reason, value), so task counts need no join.
 */
final class ContactTaskTable implements FactTable<ContactTask> {
    private static final long serialVersionUID = 1L;

    @Override
    public String table() {
        return "contact_tasks";
    }

    @Override
    public List<String> columns() {
        return List.of(
                "task_id",
                "type",
                "store_id",
                "cart_id",
                "attempt",
                "channel",
                "stage",
                "reason",
                "cart_value",
                "currency",
                "abandoned_at",
                "detected_at",
                "due_by",
                "cancel_reason",
                "cancelled_at",
                "order_id",
                "occurred_at",
                "emitted_at",
                "version");
    }

    @Override
    public Object[] row(ContactTask task, long version, CustomerIds ids) {
        AbandonedCart cart = task.cart();
        CartClosed closed = task.closed();
        // Event time, so a backtest puts tasks where a live run would have: a first attempt when
        // the cart's gap ran out, a follow-up when its step was due, a cancel when the purchase,
        // emptying, outcome or expiry happened.
        long occurredAt = task.issuedAt();
        return new Object[] {
            task.taskId(),
            task.type().wireName(),
            task.storeId(),
            ids.cartId(task.cartId()),
            task.attempt(),
            // A cancel's channel only routes it past the assigner; its row stays without one.
            cart == null || task.channel() == null ? null : task.channel().wireName(),
            cart == null ? null : cart.stage().wireName(),
            cart == null ? null : cart.reason().wireName(),
            cart == null ? null : money(cart.cartValue()),
            cart == null ? null : cart.currency(),
            cart == null ? null : seconds(cart.abandonedAt()),
            cart == null ? null : seconds(cart.detectedAt()),
            cart == null ? null : seconds(task.dueBy()),
            closed == null ? null : closed.cause().wireName(),
            closed == null ? null : seconds(closed.eventTime()),
            closed == null ? null : closed.orderId(),
            seconds(occurredAt),
            seconds(version / 1000),
            version
        };
    }
}

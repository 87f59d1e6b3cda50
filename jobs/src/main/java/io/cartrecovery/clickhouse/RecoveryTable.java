package io.cartrecovery.clickhouse;

import static io.cartrecovery.clickhouse.FactTable.money;
import static io.cartrecovery.clickhouse.FactTable.seconds;

import io.cartrecovery.followup.Recovery;
import java.util.List;

/**
 * Recoveries: one row per recovered cart, with the credited attempt's task, channel and agent (the
 * attempt number is the task's, in contact_attempts).
 */
final class RecoveryTable implements FactTable<Recovery> {
    private static final long serialVersionUID = 1L;

    @Override
    public String table() {
        return "recoveries";
    }

    @Override
    public List<String> columns() {
        return List.of(
                "store_id",
                "cart_id",
                "order_id",
                "abandoned_at",
                "recovered_at",
                "recovered_value",
                "currency",
                "task_id",
                "channel",
                "agent_id",
                "contacted",
                "in_holdout",
                "version");
    }

    @Override
    public Object[] row(Recovery recovery, long version, CustomerIds ids) {
        return new Object[] {
            recovery.storeId(),
            ids.cartId(recovery.cartId()),
            recovery.orderId(),
            seconds(recovery.abandonedAt()),
            seconds(recovery.recoveredAt()),
            money(recovery.value()),
            recovery.currency(),
            recovery.taskId(),
            recovery.channel(),
            recovery.agentId(),
            recovery.contacted() ? 1 : 0,
            recovery.holdout() ? 1 : 0,
            version
        };
    }
}

package io.cartrecovery.clickhouse;

import static io.cartrecovery.clickhouse.FactTable.seconds;

import io.cartrecovery.followup.HoldoutMembership;
import java.util.List;

/** Holdout membership of every contactable abandoned cart: the two groups of the lift. */
final class HoldoutTable implements FactTable<HoldoutMembership> {
    private static final long serialVersionUID = 1L;

    @Override
    public String table() {
        return "holdout";
    }

    @Override
    public List<String> columns() {
        return List.of("store_id", "cart_id", "in_holdout", "assigned_at", "version");
    }

    @Override
    public Object[] row(HoldoutMembership membership, long version, CustomerIds ids) {
        return new Object[] {
            membership.storeId(),
            ids.cartId(membership.cartId()),
            membership.holdout() ? 1 : 0,
            seconds(membership.assignedAt()),
            version
        };
    }
}

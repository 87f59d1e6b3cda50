package io.cartrecovery.followup;

import io.cartrecovery.priority.Channel;
import java.util.ArrayList;
import java.util.List;

/**
 * What outcomes taught about a customer (the follow-up's keyed state; a Flink POJO): a
 * do-not-contact request blocks every future task, a wrong number or bounce takes the channel out
 * of use. Kept while any of the customer's carts is followed, then until {@link
 * Cadence#blockRetentionMillis} after {@link #since}.
 */
public final class CustomerBlocks {
    public boolean doNotContact;
    public List<Channel> unusable = new ArrayList<>();

    /**
     * Event time of the latest outcome that set a block; 0 for blocks restored from a version that
     * did not record it (their retention counts from when the rules first see them again).
     */
    public long since;

    public CustomerBlocks() {}

    void block(Channel channel) {
        if (!unusable.contains(channel)) {
            unusable.add(channel);
        }
    }
}

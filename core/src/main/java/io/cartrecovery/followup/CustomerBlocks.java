package io.cartrecovery.followup;

import io.cartrecovery.priority.Channel;
import java.util.ArrayList;
import java.util.List;

/**
 * What outcomes taught about a customer, kept for good (keyed state of {@link FollowUp}; a Flink
 * POJO): a do-not-contact request blocks every future task, a wrong number or bounce takes the
 * channel out of use.
 */
public final class CustomerBlocks {
    public boolean doNotContact;
    public List<Channel> unusable = new ArrayList<>();

    public CustomerBlocks() {}

    void block(Channel channel) {
        if (!unusable.contains(channel)) {
            unusable.add(channel);
        }
    }
}

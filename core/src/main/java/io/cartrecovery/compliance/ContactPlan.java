package io.cartrecovery.compliance;

import io.cartrecovery.priority.Channel;
import io.cartrecovery.priority.ContactDecision;
import java.io.Serializable;

/**
 * What {@link ContactPolicy#plan} decided for one contact.
 *
 * @param decision whether there is a task, and on which channel
 * @param timeZone the customer's IANA zone the window was applied in
 * @param timing when the contact may happen; null when there is no task
 */
public record ContactPlan(ContactDecision decision, String timeZone, ContactTiming timing)
        implements Serializable {

    public Channel channel() {
        return decision.channel();
    }
}

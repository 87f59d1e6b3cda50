package io.cartrecovery.tasks;

import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.CartClosed;
import java.time.Duration;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Turns detection results into contact tasks. Today every abandoned cart gets a first attempt due
 * within the first-contact SLA; prioritisation, channels and follow-ups plug in here.
 */
public final class TaskPlanner {
    private TaskPlanner() {}

    public static MapFunction<AbandonedCart, ContactTask> firstAttempt(Duration firstContactSla) {
        long sla = firstContactSla.toMillis();
        return cart -> ContactTask.create(cart, 1, cart.abandonedAt() + sla);
    }

    public static MapFunction<CartClosed, ContactTask> cancelFirstAttempt() {
        return closed -> ContactTask.cancel(closed, 1);
    }
}

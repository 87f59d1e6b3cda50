package io.cartrecovery.tasks;

import io.cartrecovery.detection.CartClosed;
import io.cartrecovery.enrich.EnrichedCart;
import io.cartrecovery.scripts.Scripts;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Turns detection results into contact tasks. Every enriched cart whose contact decision allows a
 * task gets a first attempt, timed by the contact policy in the enrichment operator (due within the
 * first-contact SLA, moved into the contact window and under the caps); follow-ups plug in here.
 */
public final class TaskPlanner {
    private TaskPlanner() {}

    /**
     * Carts decided against (do-not-contact, no consented channel) get no task at all. A task with
     * a channel carries its call script or message; its timing comes from the contact policy.
     */
    public static FlatMapFunction<EnrichedCart, ContactTask> firstAttempt(Scripts scripts) {
        return (enriched, out) -> {
            if (enriched.decision().createsTask()) {
                ContactTask task = ContactTask.create(enriched, 1, enriched.timing());
                out.collect(
                        task.withContent(
                                scripts.render(
                                        task.cart(),
                                        task.enrichment().profile(),
                                        task.channel(),
                                        task.attempt())));
            }
        };
    }

    public static MapFunction<CartClosed, ContactTask> cancelFirstAttempt() {
        return closed -> ContactTask.cancel(closed, 1);
    }
}

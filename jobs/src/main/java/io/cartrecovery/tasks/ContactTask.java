package io.cartrecovery.tasks;

import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.CartClosed;
import io.cartrecovery.enrich.EnrichedCart;
import io.cartrecovery.enrich.Enrichment;
import io.cartrecovery.priority.Channel;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * An instruction to a dialer, on the {@code contact-tasks} topic
 * (schemas/contact-task.schema.json). A create carries the abandoned cart; a cancel carries why the
 * cart ended.
 *
 * @param taskId deterministic: the same cart and attempt always give the same id, so a retried or
 *     repeated task is recognised by the dialer
 * @param type create or cancel
 * @param attempt contact attempt number, from 1
 * @param dueBy epoch millis by which the contact should happen (creates), else 0
 * @param cart the abandoned cart (creates), else null
 * @param closed how the cart ended (cancels), else null
 * @param enrichment profile, time zone and priority of the cart (creates), else null
 * @param channel how to contact the customer (creates of known customers), else null
 * @param issuedAt event time the task was issued, epoch millis: when the cart's gap ran out for
 *     attempt 1, when the step was due for follow-ups, the purchase or outcome time for cancels
 */
public record ContactTask(
        String taskId,
        TaskType type,
        int attempt,
        long dueBy,
        AbandonedCart cart,
        CartClosed closed,
        Enrichment enrichment,
        Channel channel,
        long issuedAt) {

    public static final int SCHEMA_VERSION = 1;

    /**
     * @param channel the attempt's channel, or null when the customer is unknown
     * @param issuedAt event time of issuing, epoch millis
     */
    public static ContactTask create(
            EnrichedCart enriched, int attempt, long dueBy, Channel channel, long issuedAt) {
        AbandonedCart cart = enriched.cart();
        return new ContactTask(
                taskId(cart.storeId(), cart.cartId(), attempt),
                TaskType.CREATE,
                attempt,
                dueBy,
                cart,
                null,
                enriched.enrichment(),
                channel,
                issuedAt);
    }

    public static ContactTask cancel(CartClosed closed, int attempt) {
        return new ContactTask(
                taskId(closed.storeId(), closed.cartId(), attempt),
                TaskType.CANCEL,
                attempt,
                0,
                null,
                closed,
                null,
                null,
                closed.eventTime());
    }

    public String storeId() {
        return cart != null ? cart.storeId() : closed.storeId();
    }

    public String cartId() {
        return cart != null ? cart.cartId() : closed.cartId();
    }

    /** A name-based UUID of store, cart and attempt. */
    public static String taskId(String storeId, String cartId, int attempt) {
        String name = storeId + '\n' + cartId + '\n' + attempt;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}

package io.cartrecovery.tasks;

import io.cartrecovery.compliance.ContactTiming;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.CartClosed;
import io.cartrecovery.enrich.EnrichedCart;
import io.cartrecovery.enrich.Enrichment;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.priority.Mode;
import io.cartrecovery.scripts.ScriptOrMessage;
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
 * @param content the call script or message text (creates with a channel), else null
 * @param notBefore epoch millis before which the customer must not be contacted (creates whose due
 *     moment falls outside the contact window or under a full cap), else null
 * @param assignedAgent the agent who makes the call (call creates that an agent took), else null
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
        ScriptOrMessage content,
        Long notBefore,
        String assignedAgent,
        long issuedAt) {

    public static final int SCHEMA_VERSION = 1;

    /**
     * @param channel the attempt's channel, or null when the customer is unknown
     * @param timing when the contact may happen, from {@link
     *     io.cartrecovery.compliance.ContactPolicy#plan}
     * @param issuedAt event time of issuing, epoch millis
     */
    public static ContactTask create(
            EnrichedCart enriched,
            int attempt,
            Channel channel,
            ContactTiming timing,
            long issuedAt) {
        AbandonedCart cart = enriched.cart();
        return new ContactTask(
                taskId(cart.storeId(), cart.cartId(), attempt),
                TaskType.CREATE,
                attempt,
                timing.dueBy(),
                cart,
                null,
                enriched.enrichment(),
                channel,
                null,
                timing.notBefore(),
                null,
                issuedAt);
    }

    /** A cancel of an attempt whose channel is not known here: the assigner looks at it. */
    public static ContactTask cancel(CartClosed closed, int attempt) {
        return cancel(closed, attempt, null);
    }

    /**
     * @param channel the cancelled attempt's channel, or null when unknown: it tells whether the
     *     cancel concerns a call ({@link #concernsAgents}); the published cancel does not carry it
     */
    public static ContactTask cancel(CartClosed closed, int attempt, Channel channel) {
        return new ContactTask(
                taskId(closed.storeId(), closed.cartId(), attempt),
                TaskType.CANCEL,
                attempt,
                0,
                null,
                closed,
                null,
                channel,
                null,
                null,
                null,
                closed.eventTime());
    }

    /** The same task saying what to say (docs/scripts.md). */
    public ContactTask withContent(ScriptOrMessage newContent) {
        return new ContactTask(
                taskId,
                type,
                attempt,
                dueBy,
                cart,
                closed,
                enrichment,
                channel,
                newContent,
                notBefore,
                assignedAgent,
                issuedAt);
    }

    /** This task, to be carried out by {@code agentId}. */
    public ContactTask withAssignedAgent(String agentId) {
        return new ContactTask(
                taskId,
                type,
                attempt,
                dueBy,
                cart,
                closed,
                enrichment,
                channel,
                content,
                notBefore,
                agentId,
                issuedAt);
    }

    /** A create that needs a person to carry it out (a call). */
    public boolean needsAgent() {
        return type == TaskType.CREATE && channel != null && channel.mode() == Mode.AGENT;
    }

    /**
     * Whether the assigner must see this task: a call, or a cancel of a call (it frees the agent or
     * leaves the queue), or a cancel whose channel is not known. Messages and cancels of messages
     * go to the dialers without it.
     */
    public boolean concernsAgents() {
        return type == TaskType.CREATE
                ? needsAgent()
                : channel == null || channel.mode() == Mode.AGENT;
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

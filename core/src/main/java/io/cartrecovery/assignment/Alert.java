package io.cartrecovery.assignment;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/**
 * Something a contact-centre supervisor must act on, for the {@code alerts} topic
 * (schemas/alert.schema.json). Ids and counts only: never a customer's personal data.
 *
 * @param alertId deterministic: the same situation in a replay or after a restart gives the same id
 * @param type what is wrong
 * @param at event time the situation arose, epoch millis
 * @param storeId the task's store, else null
 * @param taskId the task (SLA alerts), else null
 * @param cartId the task's cart (SLA alerts), else null
 * @param agentId the agent (an assigned call's SLA, over capacity), else null
 * @param dueBy the task's due time (SLA alerts), else null
 * @param cause which rule: {@code unassigned} or {@code not_contacted} (SLA alerts), the limit
 *     exceeded ({@code max_open_tasks}, {@code max_tasks_per_day}), else null
 * @param count the agent's open or today's calls, or the queue size; null for SLA alerts
 * @param limit the limit {@code count} is above, else null
 */
public record Alert(
        String alertId,
        Type type,
        long at,
        String storeId,
        String taskId,
        String cartId,
        String agentId,
        Long dueBy,
        String cause,
        Integer count,
        Integer limit) {

    public enum Type {
        SLA_AT_RISK,
        SLA_BREACHED,
        AGENT_OVER_CAPACITY,
        QUEUE_GROWING;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final String UNASSIGNED = "unassigned";
    public static final String NOT_CONTACTED = "not_contacted";

    /** A name-based UUID of the parts that make the situation one. */
    static String id(Type type, Object... parts) {
        StringBuilder name = new StringBuilder(type.wireName());
        for (Object part : parts) {
            name.append('\n').append(part);
        }
        return UUID.nameUUIDFromBytes(name.toString().getBytes(StandardCharsets.UTF_8)).toString();
    }
}

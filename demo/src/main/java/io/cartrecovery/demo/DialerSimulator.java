package io.cartrecovery.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.EventType;
import io.cartrecovery.outcomes.ContactOutcome;
import io.cartrecovery.outcomes.Objection;
import io.cartrecovery.outcomes.OutcomeCode;
import io.cartrecovery.priority.Channel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A contact centre and messaging system on the other side of the contact-tasks topic: for each
 * created task it decides, at random but seeded, what the attempt achieved (docs/outcomes.md). Pure
 * logic: no I/O, no wall clock. The same seed gives the same outcome for the same task, whatever
 * order tasks arrive in, so tests can predict what it will say.
 *
 * <p>Shares are plausible for outbound recovery calls: most calls go unanswered; about a third of
 * the answered ones end with interest, a callback or a promise; a few numbers are wrong. Messages
 * are mostly delivered, some read, few replied, a few bounce. Outcomes are dated a few minutes
 * after the task was issued, or after its {@code not_before} when the contact window opens later,
 * and before it is due.
 */
public final class DialerSimulator {
    static final int AGENTS = 5;

    private final long seed;

    public DialerSimulator(long seed) {
        this.seed = seed;
    }

    /**
     * @param task a record of the contact-tasks topic (schemas/contact-task.schema.json)
     * @return the outcomes of a create on its channel, in time order; none for a cancel or a task
     *     without a known channel
     */
    public List<ContactOutcome> outcomes(JsonNode task) {
        if (!"create".equals(task.path("type").asText())) {
            return List.of();
        }
        String taskId = task.get("task_id").asText();
        Random random =
                new Random(
                        seed
                                ^ UUID.nameUUIDFromBytes(taskId.getBytes(StandardCharsets.UTF_8))
                                        .getMostSignificantBits());
        // Only on the task's channel: an outcome on another one is a dead letter (channel
        // mismatch), and a task without a known channel has nobody to contact.
        Channel channel =
                switch (task.path("channel").asText("")) {
                    case "call" -> Channel.CALL;
                    case "whatsapp" -> Channel.WHATSAPP;
                    case "sms" -> Channel.SMS;
                    case "email" -> Channel.EMAIL;
                    default -> null;
                };
        if (channel == null) {
            return List.of();
        }
        // Not before the customer's contact window opens (docs/compliance.md, not_before).
        long start =
                task.path("not_before").isTextual()
                        ? Instant.parse(task.get("not_before").asText()).toEpochMilli()
                        : issuedAt(task);
        long dueBy = Instant.parse(task.get("due_by").asText()).toEpochMilli();
        long span = Math.max(60_000L, dueBy - start);
        long at = start + 60_000L + (long) (random.nextDouble() * (span - 60_000L) * 0.8);
        Builder b =
                new Builder(
                        taskId,
                        task.get("store_id").asText(),
                        task.get("cart_id").asText(),
                        task.get("attempt").asInt(),
                        channel,
                        channel == Channel.CALL ? agent(task, random) : null);
        List<ContactOutcome> out = new ArrayList<>();
        double p = random.nextDouble();
        if (channel == Channel.CALL) {
            OutcomeCode code =
                    p < 0.35
                            ? OutcomeCode.NO_ANSWER
                            : p < 0.47
                                    ? OutcomeCode.VOICEMAIL
                                    : p < 0.52
                                            ? OutcomeCode.BUSY
                                            : p < 0.64
                                                    ? OutcomeCode.REACHED_INTERESTED
                                                    : p < 0.74
                                                            ? OutcomeCode.REACHED_NOT_INTERESTED
                                                            : p < 0.85
                                                                    ? OutcomeCode.CALLBACK_REQUESTED
                                                                    : p < 0.91
                                                                            ? OutcomeCode
                                                                                    .PROMISED_TO_BUY
                                                                            : p < 0.97
                                                                                    ? OutcomeCode
                                                                                            .WRONG_NUMBER
                                                                                    : OutcomeCode
                                                                                            .DO_NOT_CONTACT;
            Objection objection =
                    code == OutcomeCode.REACHED_NOT_INTERESTED
                                    || code == OutcomeCode.REACHED_INTERESTED
                            ? Objection.values()[random.nextInt(Objection.values().length)]
                            : null;
            // Callbacks between one and three hours later, on the quarter hour.
            Long callbackAt =
                    code == OutcomeCode.CALLBACK_REQUESTED
                            ? at + (4 + random.nextInt(9)) * 15 * 60_000L
                            : null;
            out.add(b.outcome(code, objection, at, callbackAt));
        } else if (p < 0.05) {
            out.add(b.outcome(OutcomeCode.BOUNCED, null, at, null));
        } else {
            out.add(b.outcome(OutcomeCode.DELIVERED, null, at, null));
            if (p < 0.40) {
                out.add(b.outcome(OutcomeCode.READ, null, at + 60_000L, null));
            }
            if (p < 0.12) {
                out.add(b.outcome(OutcomeCode.REPLIED, null, at + 120_000L, null));
            }
        }
        return out;
    }

    /** When the task was issued (event time), epoch millis. */
    static long issuedAt(JsonNode task) {
        return Instant.parse(task.get("issued_at").asText()).toEpochMilli();
    }

    /**
     * The shop's purchase event of the task's cart, as its clickstream would report it: the cart's
     * lines at abandonment, the same customer or visitor, a new session. Ids are name-based on the
     * task, so the same run gives the same order.
     *
     * @param at the purchase's event time, epoch millis
     * @return the event, or null when the task names no customer or visitor
     */
    public static ClickEvent purchase(JsonNode task, long at) {
        String taskId = task.path("task_id").asText();
        String customerId = text(task, "customer_id");
        String anonymousId = text(task, "anonymous_id");
        if (customerId == null && anonymousId == null) {
            return null;
        }
        List<CartLine> lines = new ArrayList<>();
        for (JsonNode item : task.path("items")) {
            lines.add(
                    new CartLine(
                            item.path("product_id").asText(),
                            text(item, "name"),
                            item.path("quantity").asInt(1),
                            item.path("unit_price").isNumber()
                                    ? item.get("unit_price").decimalValue()
                                    : null));
        }
        String id =
                UUID.nameUUIDFromBytes(
                                ("bought after contact\n" + taskId)
                                        .getBytes(StandardCharsets.UTF_8))
                        .toString();
        return new ClickEvent(
                id,
                EventType.PURCHASE,
                task.path("store_id").asText(),
                at,
                text(task, "cart_id"),
                customerId,
                anonymousId,
                "s-" + id.substring(0, 12),
                text(task, "currency"),
                List.copyOf(lines),
                null,
                "ord-c-" + id.substring(0, 8),
                null,
                null);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** The agent assignment gave the call to, else one of a few unnamed agents. */
    private static String agent(JsonNode task, Random random) {
        int unnamed = 1 + random.nextInt(AGENTS);
        String assigned = task.path("assigned_agent").asText("");
        return assigned.isEmpty() ? "agent-" + unnamed : assigned;
    }

    /**
     * Whether the shopper buys after this outcome, and when: some of those who promised (60%), were
     * interested (25%) or replied to a message (20%) buy the cart 10 minutes to 2 hours later.
     * Seeded by the task and the outcome code, like the outcomes.
     *
     * @return the purchase's event time, epoch millis, or null: no purchase
     */
    public Long purchaseAfter(ContactOutcome outcome) {
        double share =
                switch (outcome.outcome()) {
                    case PROMISED_TO_BUY -> 0.60;
                    case REACHED_INTERESTED -> 0.25;
                    case REPLIED -> 0.20;
                    default -> 0;
                };
        if (share == 0) {
            return null;
        }
        Random random =
                new Random(
                        seed
                                ^ UUID.nameUUIDFromBytes(
                                                (outcome.taskId() + '\n' + outcome.outcome())
                                                        .getBytes(StandardCharsets.UTF_8))
                                        .getLeastSignificantBits());
        if (random.nextDouble() >= share) {
            return null;
        }
        return outcome.time() + 10 * 60_000L + (long) (random.nextDouble() * 110 * 60_000L);
    }

    private record Builder(
            String taskId,
            String storeId,
            String cartId,
            int attempt,
            Channel channel,
            String agentId) {
        ContactOutcome outcome(OutcomeCode code, Objection objection, long at, Long callbackAt) {
            return new ContactOutcome(
                    taskId,
                    storeId,
                    cartId,
                    attempt,
                    agentId,
                    channel,
                    code,
                    objection,
                    at,
                    callbackAt,
                    null);
        }
    }
}

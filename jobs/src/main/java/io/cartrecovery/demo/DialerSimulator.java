package io.cartrecovery.demo;

import com.fasterxml.jackson.databind.JsonNode;
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
 * after the task was issued and before it is due.
 */
public final class DialerSimulator {
    static final int AGENTS = 5;

    private final long seed;

    public DialerSimulator(long seed) {
        this.seed = seed;
    }

    /**
     * @param task a record of the contact-tasks topic (schemas/contact-task.schema.json)
     * @return the outcomes of a create, in time order; none for a cancel
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
        String channelName = task.path("channel").asText("call");
        Channel channel =
                switch (channelName) {
                    case "whatsapp" -> Channel.WHATSAPP;
                    case "sms" -> Channel.SMS;
                    case "email" -> Channel.EMAIL;
                    default -> Channel.CALL;
                };
        long issuedAt = Instant.parse(task.get("issued_at").asText()).toEpochMilli();
        long dueBy = Instant.parse(task.get("due_by").asText()).toEpochMilli();
        long span = Math.max(60_000L, dueBy - issuedAt);
        long at = issuedAt + 60_000L + (long) (random.nextDouble() * (span - 60_000L) * 0.8);
        Builder b =
                new Builder(
                        taskId,
                        task.get("store_id").asText(),
                        task.get("cart_id").asText(),
                        task.get("attempt").asInt(),
                        channel,
                        channel == Channel.CALL ? "agent-" + (1 + random.nextInt(AGENTS)) : null);
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

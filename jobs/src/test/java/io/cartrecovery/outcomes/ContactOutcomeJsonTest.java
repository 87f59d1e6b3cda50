package io.cartrecovery.outcomes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.tasks.ContactTask;
import io.cartrecovery.testing.Schemas;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContactOutcomeJsonTest {
    private static final String TASK = ContactTask.taskId("shop-1", "cart-9", 2);

    private static ObjectNode valid() {
        ObjectNode node = ClickEventJson.MAPPER.createObjectNode();
        node.put("task_id", TASK);
        node.put("store_id", "shop-1");
        node.put("cart_id", "cart-9");
        node.put("attempt", 2);
        node.put("agent_id", "agent-3");
        node.put("channel", "call");
        node.put("outcome", "callback_requested");
        node.put("objection", "shipping_cost");
        node.put("time", "2026-11-26T10:15:00Z");
        node.put("callback_at", "2026-11-26T18:00:00+01:00");
        node.put("notes", "call +34612345678 after work");
        return node;
    }

    private static ContactOutcome parse(ObjectNode node) throws InvalidOutcomeException {
        return ContactOutcomeJson.parse(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEveryFieldAndWritesThemBack() throws Exception {
        Schemas.assertValid("contact-outcome.schema.json", valid());
        ContactOutcome outcome = parse(valid());
        assertThat(outcome.taskId()).isEqualTo(TASK);
        assertThat(outcome.attempt()).isEqualTo(2);
        assertThat(outcome.channel()).isEqualTo(Channel.CALL);
        assertThat(outcome.outcome()).isEqualTo(OutcomeCode.CALLBACK_REQUESTED);
        assertThat(outcome.objection()).isEqualTo(Objection.SHIPPING_COST);
        assertThat(outcome.time()).isEqualTo(Instant.parse("2026-11-26T10:15:00Z").toEpochMilli());
        assertThat(outcome.callbackAt())
                .isEqualTo(Instant.parse("2026-11-26T17:00:00Z").toEpochMilli());
        assertThat(ContactOutcomeJson.parse(ContactOutcomeJson.bytes(outcome))).isEqualTo(outcome);
        Schemas.assertValid("contact-outcome.schema.json", ContactOutcomeJson.toJson(outcome));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "task_id|\"not-a-uuid\"|task_id is not a UUID",
                "attempt|0|attempt must be a whole number from 1",
                "attempt|3|task_id does not match store_id, cart_id and attempt",
                "channel|\"fax\"|channel is not one of call, whatsapp, sms, email",
                "outcome|\"maybe\"|outcome is not a known code",
                "objection|\"weather\"|objection is not a known category",
                "time|\"yesterday\"|time must be ISO-8601 with offset or epoch millis",
                "callback_at|null|callback_requested needs callback_at",
                "store_id|null|missing store_id",
            })
    void badFieldsAreNamedNeverEchoed(String field, String json, String reason) throws Exception {
        ObjectNode node = valid();
        node.set(field, ClickEventJson.MAPPER.readTree(json));
        assertThatThrownBy(() -> parse(node))
                .isInstanceOf(InvalidOutcomeException.class)
                .hasMessage(reason);
    }

    @Test
    void messageOutcomesDoNotGoWithCalls() {
        ObjectNode node = valid();
        node.remove("callback_at");
        node.put("outcome", "delivered");
        assertThatThrownBy(() -> parse(node))
                .hasMessage("outcome is for messages, channel is call");
        node.put("channel", "email");
        node.put("outcome", "busy");
        assertThatThrownBy(() -> parse(node))
                .hasMessage("outcome is for calls, channel is a message");
    }

    @Test
    void unreadableRecordsBecomeDeadLettersNotExceptions() {
        ParsedOutcome parsed =
                OutcomeIngestion.parse(
                        "{\"task_id\":".getBytes(StandardCharsets.UTF_8),
                        io.cartrecovery.ingest.SourcePosition.fileLine("o.jsonl", 3),
                        0);
        assertThat(parsed.outcome()).isNull();
        assertThat(parsed.deadLetter().reason()).isEqualTo("not valid JSON");
        assertThat(parsed.deadLetter().position().offset()).isEqualTo(3);
    }
}

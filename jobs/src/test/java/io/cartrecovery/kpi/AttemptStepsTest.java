package io.cartrecovery.kpi;

import static io.cartrecovery.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.followup.AttemptFact;
import io.cartrecovery.keys.CartKey;
import io.cartrecovery.serialization.KeyTypes;
import java.time.Duration;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which changes of an attempt's fact count in the contact KPI windows, and that state goes. */
class AttemptStepsTest {
    private static final long ABANDONED = T0.toEpochMilli();
    private static final long MINUTE = 60_000L;
    private static final Duration RETENTION = Duration.ofDays(7);

    private KeyedOneInputStreamOperatorTestHarness<CartKey, AttemptFact, ContactEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new AttemptSteps(RETENTION)),
                        AttemptSteps::key,
                        KeyTypes.CART);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /** The fact of attempt {@code n} of cart-1 as the follow-up writes it after a change. */
    private static AttemptFact fact(
            int n,
            String channel,
            String agent,
            Long attemptedAt,
            Long endedAt,
            String outcome,
            boolean reached,
            boolean responded) {
        return new AttemptFact(
                "task-" + n,
                "shop-1",
                "cart-1",
                n,
                channel,
                agent,
                ABANDONED,
                ABANDONED + 30 * MINUTE,
                ABANDONED + 10 * MINUTE,
                attemptedAt,
                endedAt,
                outcome,
                reached,
                responded,
                null);
    }

    private void process(AttemptFact fact) throws Exception {
        long at = fact.endedAt() != null ? fact.endedAt() : fact.startedAt();
        harness.processElement(new StreamRecord<>(fact, at));
    }

    private static ContactEvent step(String channel, String agent, String type, Long s, long at) {
        return new ContactEvent("shop-1", channel, agent, type, null, null, s, at);
    }

    @Test
    void eachStepOfACartsAttemptsCountsOnceAndTheFirstContactOnce() throws Exception {
        long first = ABANDONED + 12 * MINUTE;
        // Issued: no contact yet.
        process(fact(1, "call", null, null, null, "pending", false, false));
        // No answer, then a voicemail: made once, never reached.
        process(fact(1, "call", "agent-1", first, first, "no_answer", false, false));
        process(fact(1, "call", "agent-1", first, first + MINUTE, "voicemail", false, false));
        // The second attempt: a message delivered, read, then replied to.
        long second = ABANDONED + 4 * 60 * MINUTE;
        process(fact(2, "whatsapp", null, second, second, "delivered", false, false));
        process(fact(2, "whatsapp", null, second, second + MINUTE, "read", true, false));
        process(fact(2, "whatsapp", null, second, second + 2 * MINUTE, "replied", true, true));
        process(fact(2, "whatsapp", null, second, second + 3 * MINUTE, "replied", true, true));

        assertThat(harness.extractOutputValues())
                .containsExactly(
                        step("call", "agent-1", ContactEvent.ATTEMPTED, null, first),
                        step("call", "agent-1", ContactEvent.FIRST_CONTACT, 12 * 60L, first),
                        step("whatsapp", null, ContactEvent.ATTEMPTED, null, second),
                        step("whatsapp", null, ContactEvent.REACHED, null, second + MINUTE),
                        step("whatsapp", null, ContactEvent.RESPONDED, null, second + 2 * MINUTE));
    }

    @Test
    void anAttemptEndingWithoutOutcomeIsNoContact() throws Exception {
        process(fact(1, "call", null, null, ABANDONED + 40 * MINUTE, "expired", false, false));
        long made = ABANDONED + 5 * 60 * MINUTE;
        process(fact(2, "call", "agent-2", made, made, "reached_interested", true, true));

        // The second attempt is the cart's first contact, reached and answered at once.
        assertThat(harness.extractOutputValues())
                .containsExactly(
                        step("call", "agent-2", ContactEvent.ATTEMPTED, null, made),
                        step("call", "agent-2", ContactEvent.FIRST_CONTACT, 5 * 3600L, made),
                        step("call", "agent-2", ContactEvent.REACHED, null, made),
                        step("call", "agent-2", ContactEvent.RESPONDED, null, made));
    }

    @Test
    void anAttemptForAnUnknownCustomerCountsUnderTheFactsChannelName() throws Exception {
        long made = ABANDONED + 20 * MINUTE;
        process(fact(1, null, "agent-3", made, made, "no_answer", false, false));

        assertThat(harness.extractOutputValues())
                .extracting(ContactEvent::channel)
                .containsExactly("unknown", "unknown");
    }

    @Test
    void aCartIsForgottenARetentionAfterItsLatestFact() throws Exception {
        long made = ABANDONED + 10 * MINUTE;
        process(fact(1, "call", "agent-1", made, made, "no_answer", false, false));
        process(
                fact(
                        2,
                        "sms",
                        null,
                        made + 60 * MINUTE,
                        made + 60 * MINUTE,
                        "delivered",
                        false,
                        false));
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(made + RETENTION.toMillis());
        assertThat(harness.numKeyedStateEntries()).isPositive();

        harness.processWatermark(made + 60 * MINUTE + RETENTION.toMillis());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}

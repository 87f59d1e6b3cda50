package io.cartrecovery.kpi;

import static io.cartrecovery.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.followup.TaskEvent;
import io.cartrecovery.followup.TaskEventType;
import java.math.BigDecimal;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which task events count in the contact KPI windows, and that the task's state goes. */
class ContactEventsTest {
    private static final long START = T0.toEpochMilli();
    private static final long MINUTE = 60_000L;
    private static final Duration RETENTION = Duration.ofDays(7);

    private KeyedOneInputStreamOperatorTestHarness<String, TaskEvent, ContactEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new ContactEvents(RETENTION)),
                        TaskEvent::taskId,
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static TaskEvent event(
            TaskEventType type, String outcome, long at, BigDecimal value, String currency) {
        return new TaskEvent(
                TaskEvent.eventId("task-1", type, outcome == null ? "" : outcome),
                type,
                "task-1",
                "shop-1",
                "cart-1",
                null,
                1,
                "sms",
                null,
                outcome,
                null,
                null,
                null,
                at,
                null,
                value,
                currency,
                false);
    }

    private void process(TaskEvent event) throws Exception {
        harness.processElement(new StreamRecord<>(event, event.time()));
    }

    @Test
    void aMessageReadThenRepliedToIsReachedOnceAndRespondedOnce() throws Exception {
        process(event(TaskEventType.ATTEMPTED, "delivered", START, null, null));
        process(event(TaskEventType.OUTCOME, "delivered", START, null, null));
        process(event(TaskEventType.OUTCOME, "read", START + MINUTE, null, null));
        process(event(TaskEventType.OUTCOME, "replied", START + 2 * MINUTE, null, null));
        process(
                event(
                        TaskEventType.RECOVERED,
                        null,
                        START + 3 * MINUTE,
                        new BigDecimal("12.50"),
                        "EUR"));
        // Neither a step of the contact nor a recovery: nothing to count.
        process(event(TaskEventType.EXPIRED, null, START + 4 * MINUTE, null, null));

        assertThat(harness.extractOutputValues())
                .containsExactly(
                        new ContactEvent("shop-1", "sms", "attempted", null, null, START),
                        new ContactEvent("shop-1", "sms", "reached", null, null, START + MINUTE),
                        new ContactEvent(
                                "shop-1", "sms", "responded", null, null, START + 2 * MINUTE),
                        new ContactEvent(
                                "shop-1",
                                "sms",
                                "recovered",
                                "EUR",
                                new BigDecimal("12.50"),
                                START + 3 * MINUTE));
    }

    @Test
    void aTaskIsForgottenAfterTheRetention() throws Exception {
        process(event(TaskEventType.OUTCOME, "reached_interested", START, null, null));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(START + RETENTION.toMillis());

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}

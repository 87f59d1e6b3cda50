package io.cartrecovery.assignment;

import static io.cartrecovery.assignment.AssignmentFixtures.MINUTE;
import static io.cartrecovery.assignment.AssignmentFixtures.T0;
import static io.cartrecovery.assignment.AssignmentFixtures.agent;
import static io.cartrecovery.assignment.AssignmentFixtures.attempt;
import static io.cartrecovery.assignment.AssignmentFixtures.call;
import static io.cartrecovery.assignment.AssignmentFixtures.cancel;
import static io.cartrecovery.assignment.AssignmentFixtures.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.cartrecovery.config.AssignmentOptions;
import io.cartrecovery.keys.ContactCentreKey;
import io.cartrecovery.keys.Keys;
import io.cartrecovery.serialization.KeyTypes;
import io.cartrecovery.tasks.ContactTask;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The assignment operator alone: its choices, queue, alerts, timers and state in view. */
class AssignerTest {
    private KeyedOneInputStreamOperatorTestHarness<ContactCentreKey, AssignmentInput, ContactTask>
            harness;
    private KeyedProcessOperator<ContactCentreKey, AssignmentInput, ContactTask> operator;

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private void open(List<Agent> roster, Map<String, String> settings) throws Exception {
        watermark = Long.MIN_VALUE;
        Configuration config = Configuration.fromMap(settings);
        operator =
                new KeyedProcessOperator<>(
                        new Assigner(AssignmentOptions.assignment(config), roster));
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        operator, AssignmentInput::contactCentre, KeyTypes.CONTACT_CENTRE);
        harness.open();
    }

    private void open(Agent... roster) throws Exception {
        open(List.of(roster), Map.of());
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    /** Sends a task and moves the watermark to its moment, as the follow-up's follows it. */
    private void send(ContactTask task) throws Exception {
        long moment = task.issuedAt();
        harness.processElement(new StreamRecord<>(AssignmentInput.of(task), moment));
        if (moment > watermark) {
            watermark(moment);
        }
    }

    /** Sends a cancel and moves the watermark to its moment, as the follow-up's follows it. */
    private void sendCancel(ContactTask cancel) throws Exception {
        long moment = cancel.closed().eventTime();
        harness.processElement(new StreamRecord<>(AssignmentInput.of(cancel), moment));
        if (moment > watermark) {
            watermark(moment);
        }
    }

    private void send(Agent agent) throws Exception {
        harness.processElement(new StreamRecord<>(AssignmentInput.of(agent)));
    }

    /** Sends an outcome's release and moves the watermark to its moment. */
    private void release(ContactTask task, long time) throws Exception {
        harness.processElement(
                new StreamRecord<>(
                        AssignmentInput.of(new AgentRelease(task.taskId(), time, "no_answer")),
                        time));
        if (time > watermark) {
            watermark(time);
        }
    }

    private long watermark = Long.MIN_VALUE;

    private void watermark(long time) throws Exception {
        watermark = time;
        harness.processWatermark(time);
    }

    /** Tasks written so far, in order, as "task-id-suffix:agent". */
    private List<String> written() {
        List<String> out = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof ContactTask t) {
                out.add(
                        t.cartId().substring(5)
                                + ":"
                                + t.type().wireName()
                                + ":"
                                + t.assignedAgent());
            }
        }
        return out;
    }

    private List<Assignment> assignments() {
        return drain(harness.getSideOutput(Assigner.ASSIGNMENTS));
    }

    private List<Alert> alerts() {
        return drain(harness.getSideOutput(Assigner.ALERTS));
    }

    private static <T> List<T> drain(ConcurrentLinkedQueue<StreamRecord<T>> records) {
        List<T> values = new ArrayList<>();
        if (records != null) {
            records.forEach(r -> values.add(r.getValue()));
        }
        return values;
    }

    private List<String> followedCalls() throws Exception {
        operator.setCurrentKey(Keys.CONTACT_CENTRE);
        MapState<String, Call> calls =
                operator.getKeyedStateBackend()
                        .getPartitionedState(
                                VoidNamespace.INSTANCE,
                                VoidNamespaceSerializer.INSTANCE,
                                Assigner.CALLS);
        List<String> ids = new ArrayList<>();
        calls.keys().forEach(ids::add);
        return ids;
    }

    // ---- choosing an agent

    @Test
    void leastLoadedAgentTakesEachCallAndTiesGoToTheSmallerId() throws Exception {
        open(agent("b").build(), agent("a").build(), agent("c").maxOpen(1).build());
        watermark(T0);
        for (int i = 1; i <= 5; i++) {
            send(call("c" + i, T0 + i * MINUTE));
        }

        assertThat(written())
                .containsExactly(
                        "c1:create:a", "c2:create:b", "c3:create:c", "c4:create:a", "c5:create:b");
        ContactTask first = call("c1", T0 + MINUTE);
        assertThat(assignments())
                .hasSize(5)
                .first()
                .isEqualTo(
                        new Assignment(
                                first.taskId(),
                                "shop-1",
                                "cart-c1",
                                1,
                                "a",
                                T0 + MINUTE,
                                Assignment.Kind.ASSIGNED));
        assertThat(alerts()).isEmpty();
    }

    @Test
    void callsOfTheSameMomentAreDecidedByPriorityWhateverTheirArrivalOrder() throws Exception {
        open(agent("a").maxOpen(1).build());
        watermark(T0);
        long moment = T0 + MINUTE;
        for (ContactTask task :
                List.of(
                        call("low", "shop-1", null, 30, moment),
                        call("high", "shop-1", null, 90, moment),
                        call("bought", "shop-1", null, 99, moment))) {
            harness.processElement(new StreamRecord<>(AssignmentInput.of(task), moment));
        }
        // A purchase at the moment the call was found: cancels come first at one moment, so the
        // call is written unassigned, then cancelled, before the others are decided.
        sendCancel(cancel(call("bought", moment), moment));
        assertThat(written())
                .containsExactly(
                        "bought:create:null",
                        "bought:cancel:null",
                        "high:create:a",
                        "low:create:null");
        assertThat(followedCalls()).hasSize(2);
    }

    @Test
    void aFollowUpAttemptIsDecidedAtItsOwnTimeNotAtItsCartsDetection() throws Exception {
        // issue 12, item 5 d: run and replay gave attempt 2 to different agents, decided at its
        // cart's detection (before calls issued hours later) or at wherever the watermark was.
        open(agent("a").maxOpen(1).build());
        watermark(T0);
        long nextDay = T0 + Duration.ofDays(1).toMillis();
        ContactTask second = attempt(call("old", T0 + MINUTE), 2, nextDay);
        // The follow-up's watermark ran a day ahead of the other paths: attempt 2 comes early.
        harness.processElement(new StreamRecord<>(AssignmentInput.of(second), nextDay));
        send(call("new", T0 + 60 * MINUTE));
        assertThat(written()).containsExactly("new:create:a");

        watermark(nextDay);
        assertThat(written()).containsExactly("new:create:a", "old:create:null");
        assertThat(assignments())
                .extracting(Assignment::cartId, Assignment::time)
                .containsExactly(tuple("cart-new", T0 + 60 * MINUTE));
    }

    @Test
    void aCallWhoseCancelOvertookItIsWrittenButGetsNoAgent() throws Exception {
        open(agent("a").build());
        watermark(T0);
        ContactTask late = call("late", T0 + MINUTE);
        sendCancel(cancel(late, T0 + 2 * MINUTE));
        send(late);
        send(call("next", T0 + 3 * MINUTE));

        assertThat(written())
                .containsExactly("late:cancel:null", "late:create:null", "next:create:a");
        assertThat(followedCalls()).containsExactly(call("next", 0).taskId());
        watermark(T0 + Duration.ofDays(2).toMillis());
        assertThat(alerts()).extracting(Alert::taskId).doesNotContain(late.taskId());
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aCartReportedAgainAfterItsCancelIsANewCallWithAnAgent() throws Exception {
        open(agent("a").build());
        watermark(T0);
        ContactTask first = call("back", T0 + MINUTE);
        send(first);
        sendCancel(cancel(first, T0 + 2 * MINUTE));
        // The cancel of a call it never saw is remembered: this one is reported again later.
        sendCancel(cancel(call("again", T0 + MINUTE), T0 + 3 * MINUTE));
        send(call("again", T0 + 20 * MINUTE));

        assertThat(written())
                .containsExactly(
                        "back:create:a", "back:cancel:null", "again:cancel:null", "again:create:a");
    }

    @Test
    void aCartReportedAgainWhileFollowedKeepsItsAgentAndTakesItsNewDueTime() throws Exception {
        open(
                List.of(agent("a").build(), agent("b").build()),
                Map.of("assignment.sla-risk-margin", "0s"));
        watermark(T0);
        ContactTask first = call("x", T0 + MINUTE);
        ContactTask again = call("x", T0 + 9 * MINUTE);
        send(first);
        send(again);

        assertThat(written()).containsExactly("x:create:a", "x:create:a");
        assertThat(assignments()).hasSize(1);
        watermark(first.dueBy());
        assertThat(alerts()).isEmpty();
        watermark(again.dueBy());
        assertThat(alerts())
                .singleElement()
                .satisfies(a -> assertThat(a.dueBy()).isEqualTo(again.dueBy()));
    }

    @Test
    void storeAndLanguageMustMatchAndAnUnknownLanguageTakesAnyone() throws Exception {
        open(
                agent("es1").languages("es").build(),
                agent("en2").stores("shop-2").languages("en").build(),
                agent("enAll").stores("*").languages("en", "fr").build());
        watermark(T0);
        send(call("english", "shop-1", "en-GB", 50, T0 + MINUTE));
        send(call("spanish", "shop-1", "es", 50, T0 + 2 * MINUTE));
        send(call("shop2", "shop-2", null, 50, T0 + 3 * MINUTE));
        send(call("german", "shop-1", "de", 50, T0 + 4 * MINUTE));

        assertThat(written())
                .containsExactly(
                        "english:create:enAll",
                        "spanish:create:es1",
                        "shop2:create:en2",
                        "german:create:null");
        assertThat(followedCalls()).hasSize(4);
    }

    @Test
    void messagesAndCancelsOfUnknownTasksPassThroughUntouched() throws Exception {
        open(agent("a").build());
        watermark(T0);
        ContactTask message = message("m1", T0 + MINUTE);
        send(message);
        sendCancel(cancel(message, T0 + 2 * MINUTE));

        assertThat(harness.extractOutputValues())
                .containsExactly(message, cancel(message, T0 + 2 * MINUTE));
        assertThat(assignments()).isEmpty();
        assertThat(followedCalls()).isEmpty();
    }

    // ---- shifts and limits

    @Test
    void aQueuedCallWaitsForTheShiftStartInTheAgentsZone() throws Exception {
        // 09:00 in New York is 14:00 UTC in November.
        open(agent("ny").zone("America/New_York").shift("09:00", "17:00").maxOpen(1).build());
        long early = at("2026-11-26T13:50:00Z");
        watermark(early - MINUTE);
        send(call("low", "shop-1", null, 40, early));
        send(call("high", "shop-1", null, 80, early + MINUTE));
        assertThat(written()).containsExactly("low:create:null", "high:create:null");

        watermark(at("2026-11-26T13:59:59Z"));
        assertThat(assignments()).isEmpty();
        watermark(at("2026-11-26T14:00:00Z"));

        assertThat(written()).endsWith("high:create:ny").hasSize(3);
        assertThat(assignments())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.agentId()).isEqualTo("ny");
                            assertThat(a.time()).isEqualTo(at("2026-11-26T14:00:00Z"));
                        });
    }

    @Test
    void aShiftEndingMidQueueLeavesTheQueueToTheNextShift() throws Exception {
        open(
                agent("morning").shift("08:00", "09:00").maxOpen(1).build(),
                agent("late").shift("10:00", "18:00").build());
        long t = at("2026-11-26T08:30:00Z");
        watermark(t - MINUTE);
        ContactTask first = call("first", t);
        send(first);
        send(call("second", t + 10 * MINUTE));
        assertThat(written()).containsExactly("first:create:morning", "second:create:null");

        // The morning agent is freed after their shift ended: the queue waits for the next one.
        release(first, at("2026-11-26T09:05:00Z"));
        watermark(at("2026-11-26T09:30:00Z"));
        assertThat(written()).hasSize(2);

        watermark(at("2026-11-26T10:00:00Z"));
        assertThat(written()).last().isEqualTo("second:create:late");
    }

    @Test
    void maxOpenTasksHoldsUntilACallIsReleased() throws Exception {
        open(List.of(agent("a").maxOpen(2).build()), Map.of("assignment.sla-risk-margin", "0s"));
        watermark(T0);
        ContactTask one = call("one", T0 + MINUTE);
        send(one);
        send(call("two", T0 + 2 * MINUTE));
        send(call("three", T0 + 3 * MINUTE));
        assertThat(written()).last().isEqualTo("three:create:null");

        release(one, T0 + 5 * MINUTE);

        assertThat(written()).last().isEqualTo("three:create:a");
        assertThat(followedCalls())
                .containsExactlyInAnyOrder(call("two", 0).taskId(), call("three", 0).taskId());
    }

    @Test
    void theDailyLimitResetsAtMidnightInTheAgentsZone() throws Exception {
        // 23:00 in Tokyo is 14:00 UTC: the agent's day ends an hour later, the UTC day does not.
        open(agent("tokyo").zone("Asia/Tokyo").maxPerDay(2).build());
        long t = at("2026-11-26T14:00:00Z");
        watermark(t - MINUTE);
        ContactTask one = call("one", t);
        ContactTask two = call("two", t + MINUTE);
        send(one);
        send(two);
        release(one, t + 2 * MINUTE);
        release(two, t + 3 * MINUTE);
        send(call("three", t + 4 * MINUTE));
        assertThat(written()).last().isEqualTo("three:create:null");

        watermark(at("2026-11-26T14:59:59Z"));
        assertThat(written()).last().isEqualTo("three:create:null");
        watermark(at("2026-11-26T15:00:00Z"));
        assertThat(written()).last().isEqualTo("three:create:tokyo");
        assertThat(assignments())
                .last()
                .extracting(Assignment::time)
                .isEqualTo(at("2026-11-26T15:00:00Z"));
    }

    @Test
    void aCancelReleasesTheAgentAndLeavesNoState() throws Exception {
        open(agent("a").maxOpen(1).build());
        watermark(T0);
        ContactTask one = call("one", T0 + MINUTE);
        send(one);
        send(call("two", T0 + 2 * MINUTE));
        sendCancel(cancel(one, T0 + 4 * MINUTE));

        assertThat(written())
                .containsExactly(
                        "one:create:a", "two:create:null", "one:cancel:null", "two:create:a");
        sendCancel(cancel(call("two", T0 + 2 * MINUTE), T0 + 5 * MINUTE));
        assertThat(followedCalls()).isEmpty();

        watermark(T0 + Duration.ofDays(2).toMillis());
        assertThat(alerts()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    // ---- alerts

    @Test
    void withNoAgentsACallQueuesAndIsAtRiskThenBreachedThenExpires() throws Exception {
        open();
        watermark(T0);
        ContactTask lone = call("lone", T0 + MINUTE);
        send(lone);
        assertThat(written()).containsExactly("lone:create:null");

        long due = lone.dueBy();
        watermark(due - 10 * MINUTE - 1);
        assertThat(alerts()).isEmpty();
        watermark(due - 10 * MINUTE);
        assertThat(alerts())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.type()).isEqualTo(Alert.Type.SLA_AT_RISK);
                            assertThat(a.cause()).isEqualTo(Alert.UNASSIGNED);
                            assertThat(a.taskId()).isEqualTo(lone.taskId());
                            assertThat(a.at()).isEqualTo(due - 10 * MINUTE);
                            assertThat(a.agentId()).isNull();
                        });
        watermark(due);
        assertThat(alerts())
                .extracting(Alert::type)
                .containsExactly(Alert.Type.SLA_AT_RISK, Alert.Type.SLA_BREACHED);

        watermark(due + Duration.ofHours(24).toMillis());
        assertThat(assignments())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.kind()).isEqualTo(Assignment.Kind.EXPIRED);
                            assertThat(a.agentId()).isNull();
                        });
        assertThat(followedCalls()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void anAssignedCallWithoutOutcomeIsAtRiskAndAReleaseInTimeRaisesNothing() throws Exception {
        open(agent("a").build());
        watermark(T0);
        ContactTask slow = call("slow", T0 + MINUTE);
        ContactTask quick = call("quick", T0 + 2 * MINUTE);
        send(slow);
        send(quick);
        release(quick, T0 + 5 * MINUTE);

        watermark(slow.dueBy());
        assertThat(alerts())
                .extracting(Alert::type, Alert::taskId, Alert::agentId, Alert::cause)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                Alert.Type.SLA_AT_RISK, slow.taskId(), "a", Alert.NOT_CONTACTED),
                        org.assertj.core.groups.Tuple.tuple(
                                Alert.Type.SLA_BREACHED, slow.taskId(), "a", Alert.NOT_CONTACTED));
    }

    @Test
    void loweringALimitBelowTheOpenCallsRaisesOverCapacity() throws Exception {
        open(agent("a").maxOpen(3).build());
        watermark(T0);
        send(call("one", T0 + MINUTE));
        send(call("two", T0 + 2 * MINUTE));
        send(agent("a").maxOpen(1).build());

        assertThat(alerts())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.type()).isEqualTo(Alert.Type.AGENT_OVER_CAPACITY);
                            assertThat(a.agentId()).isEqualTo("a");
                            assertThat(a.cause()).isEqualTo("max_open_tasks");
                            assertThat(a.count()).isEqualTo(2);
                            assertThat(a.limit()).isEqualTo(1);
                        });
        send(call("three", T0 + 3 * MINUTE));
        assertThat(written()).last().isEqualTo("three:create:null");
    }

    @Test
    void theQueueAlertsOnceWhenItGrowsAboveTheSizeAndAgainAfterItShrank() throws Exception {
        open(List.of(), Map.of(AssignmentOptions.QUEUE_ALERT_SIZE.key(), "1"));
        watermark(T0);
        send(call("one", T0 + MINUTE));
        send(call("two", T0 + 2 * MINUTE));
        send(call("three", T0 + 3 * MINUTE));
        assertThat(alerts())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.type()).isEqualTo(Alert.Type.QUEUE_GROWING);
                            assertThat(a.count()).isEqualTo(2);
                            assertThat(a.limit()).isEqualTo(1);
                            assertThat(a.at()).isEqualTo(T0 + 2 * MINUTE);
                        });

        // An agent arrives and takes all three; the next climb alerts again.
        send(agent("a").build());
        assertThat(written()).filteredOn(w -> w.endsWith(":a")).hasSize(3);
        send(agent("a").maxOpen(3).build());
        send(call("four", T0 + 4 * MINUTE));
        send(call("five", T0 + 5 * MINUTE));
        assertThat(alerts()).filteredOn(a -> a.type() == Alert.Type.QUEUE_GROWING).hasSize(2);
    }

    @Test
    void alertIdsAreTheSameWhenTheSameInputIsReplayed() throws Exception {
        List<String> first = alertIdsOfAQueuedCall();
        close();
        List<String> second = alertIdsOfAQueuedCall();
        assertThat(first).hasSize(2).doesNotHaveDuplicates().isEqualTo(second);
    }

    private List<String> alertIdsOfAQueuedCall() throws Exception {
        open();
        watermark(T0);
        ContactTask lone = call("lone", T0 + MINUTE);
        send(lone);
        watermark(lone.dueBy());
        List<String> ids = alerts().stream().map(Alert::alertId).toList();
        harness.close();
        harness = null;
        return ids;
    }
}

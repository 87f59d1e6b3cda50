package io.cartrecovery.followup;

import static io.cartrecovery.testing.Profiles.T0;
import static io.cartrecovery.testing.Profiles.cart;
import static io.cartrecovery.testing.Profiles.consenting;
import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.config.ComplianceOptions;
import io.cartrecovery.config.FollowUpOptions;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.CartClosed;
import io.cartrecovery.detection.ReasonHint;
import io.cartrecovery.enrich.EnrichedCart;
import io.cartrecovery.enrich.Enrichment;
import io.cartrecovery.events.Stage;
import io.cartrecovery.keys.CustomerKey;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.priority.ContactDecision;
import io.cartrecovery.priority.Priority;
import io.cartrecovery.priority.Tier;
import io.cartrecovery.serialization.KeyTypes;
import io.cartrecovery.tasks.ContactTask;
import io.cartrecovery.tasks.TaskType;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The follow-up operator alone, with its keyed state and event-time timers in view. */
class FollowUpTest {
    private static final long MINUTE = 60_000L;
    private static final long DAY = 24 * 60 * MINUTE;

    private KeyedOneInputStreamOperatorTestHarness<CustomerKey, FollowUpInput, ContactTask> harness;

    private void open(String steps, double holdoutShare) throws Exception {
        Configuration config = new Configuration();
        config.set(FollowUpOptions.STEPS, steps);
        config.set(FollowUpOptions.HOLDOUT_SHARE, holdoutShare);
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new FollowUp(
                                        FollowUpOptions.cadence(config),
                                        Duration.ofMinutes(30),
                                        ComplianceOptions.contactPolicy(config))),
                        FollowUpInput::customer,
                        KeyTypes.CUSTOMER);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private static EnrichedCart decided(String customer) {
        AbandonedCart cart = cart(customer, "250.00", 1, Stage.CART, ReasonHint.UNKNOWN);
        return new EnrichedCart(
                cart,
                new Enrichment(
                        consenting(customer, Channel.CALL, Channel.EMAIL),
                        "UTC",
                        new Priority(
                                80,
                                List.of(),
                                new BigDecimal("0.30"),
                                new BigDecimal("75.00"),
                                Tier.HIGH)),
                ContactDecision.contact(Channel.CALL),
                null);
    }

    private void send(FollowUpInput input) throws Exception {
        harness.processElement(new StreamRecord<>(input, input.time()));
    }

    private static Purchase purchase(String customer, long at) {
        return new Purchase(
                "shop-1", customer, null, "order-1", at, new BigDecimal("199.90"), "EUR");
    }

    @Test
    void heldOutCartGetsNoTaskAndItsPurchaseIsANaturalRecovery() throws Exception {
        open("0m:call,4h:email", 0.5);
        String customer =
                IntStream.range(0, 100)
                        .mapToObj(i -> "c" + i)
                        .filter(c -> Holdout.heldOut("shop-1", "cart-" + c, 0.5))
                        .findFirst()
                        .orElseThrow();
        send(FollowUpInput.of(decided(customer)));
        send(FollowUpInput.of(purchase(customer, T0 + 3 * DAY)));
        harness.processWatermark(T0 + 3 * DAY);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.getSideOutput(FollowUp.HOLDOUT))
                .singleElement()
                .satisfies(h -> assertThat(h.getValue().holdout()).isTrue());
        assertThat(harness.getSideOutput(FollowUp.RECOVERIES))
                .singleElement()
                .satisfies(
                        r -> {
                            Recovery recovery = r.getValue();
                            assertThat(recovery.holdout()).isTrue();
                            assertThat(recovery.contacted()).isFalse();
                            assertThat(recovery.taskId()).isNull();
                            assertThat(recovery.value()).isEqualByComparingTo("199.90");
                        });
        assertThat(harness.getSideOutput(FollowUp.TASK_EVENTS)).isNull();
        // The purchase ended the cart: nothing is kept for it, no timer is left.
        harness.processWatermark(T0 + 30 * DAY);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void cartArrivingAfterEventTimePassedItsPurchaseIsStillCancelledAndCredited() throws Exception {
        open("0m:call,4h:email", 0);
        EnrichedCart cart = decided("c1");
        long detected = cart.cart().abandonedAt() + cart.cart().gapMillis();
        // The purchase comes first and event time passes it; the cart had waited for its profile.
        send(FollowUpInput.of(purchase("c1", detected + 10 * MINUTE)));
        harness.processWatermark(detected + 20 * MINUTE);
        send(FollowUpInput.of(cart));

        List<ContactTask> tasks = harness.extractOutputValues();
        assertThat(tasks)
                .extracting(ContactTask::type)
                .containsExactly(TaskType.CREATE, TaskType.CANCEL);
        assertThat(tasks.get(1).closed().cause()).isEqualTo(CartClosed.Cause.PURCHASED);
        assertThat(tasks.get(1).closed().eventTime()).isEqualTo(detected + 10 * MINUTE);
        assertThat(harness.getSideOutput(FollowUp.RECOVERIES)).hasSize(1);
        // Nothing is kept once the allowance for late carts has passed.
        harness.processWatermark(detected + 30 * DAY);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void cartIsForgottenAtTheEndOfItsAttributionWindow() throws Exception {
        open("0m:call", 0);
        long detected = T0 + 10 * MINUTE;
        send(FollowUpInput.of(decided("c1")));
        harness.processWatermark(detected + 7 * DAY + MINUTE);
        send(FollowUpInput.of(purchase("c1", detected + 7 * DAY + 2 * MINUTE)));
        harness.processWatermark(detected + 8 * DAY);

        List<ContactTask> tasks = harness.extractOutputValues();
        assertThat(tasks)
                .extracting(ContactTask::type)
                .containsExactly(TaskType.CREATE, TaskType.CANCEL);
        assertThat(tasks.get(1).closed().eventTime()).isEqualTo(detected + DAY);
        assertThat(harness.getSideOutput(FollowUp.RECOVERIES)).isNull();
        assertThat(harness.getSideOutput(FollowUp.HOLDOUT))
                .singleElement()
                .satisfies(h -> assertThat(h.getValue().holdout()).isFalse());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}

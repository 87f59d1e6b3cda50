package io.cartrecovery.followup;

import static io.cartrecovery.testing.Profiles.T0;
import static io.cartrecovery.testing.Profiles.cart;
import static io.cartrecovery.testing.Profiles.consenting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.cartrecovery.config.ComplianceOptions;
import io.cartrecovery.config.FollowUpOptions;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.ReasonHint;
import io.cartrecovery.enrich.EnrichedCart;
import io.cartrecovery.enrich.Enrichment;
import io.cartrecovery.events.Stage;
import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.ingest.SourcePosition;
import io.cartrecovery.keys.CustomerKey;
import io.cartrecovery.outcomes.ContactOutcome;
import io.cartrecovery.outcomes.OutcomeCode;
import io.cartrecovery.outcomes.ParsedOutcome;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.priority.ContactDecision;
import io.cartrecovery.priority.Priority;
import io.cartrecovery.priority.Tier;
import io.cartrecovery.tasks.ContactTask;
import io.cartrecovery.tasks.TaskType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/**
 * The follow-up rules without Flink: a customer's state in maps, the effects in lists, event time
 * moved by hand. What the operator adds (keyed state, timers, outputs) is FollowUpTest's.
 */
class FollowUpRulesTest {
    /** The rules take the customer from the input: an outcome's own key is not read. */
    private static final CustomerKey IGNORED = new CustomerKey("ignored");

    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;

    private final FollowUpRules rules = rules("0m:call,4h:email");

    private static FollowUpRules rules(String steps) {
        return rules(steps, Map.of());
    }

    private static FollowUpRules rules(String steps, Map<String, String> settings) {
        Configuration config = Configuration.fromMap(settings);
        config.set(FollowUpOptions.STEPS, steps);
        config.set(FollowUpOptions.HOLDOUT_SHARE, 0.0);
        return new FollowUpRules(
                FollowUpOptions.cadence(config),
                Duration.ofMinutes(30),
                ComplianceOptions.contactPolicy(config));
    }

    /** The effects of the rules, and a clock that fires the wake-ups they asked for in order. */
    private static final class Run implements FollowUpEffects {
        final InMemoryCustomerState state = new InMemoryCustomerState();
        final List<ContactTask> tasks = new ArrayList<>();
        final List<TaskEvent> events = new ArrayList<>();
        final List<Recovery> recoveries = new ArrayList<>();
        final List<AttemptFact> attempts = new ArrayList<>();
        final List<DeadLetter> rejected = new ArrayList<>();
        final TreeSet<Long> wakeUps = new TreeSet<>();
        private final FollowUpRules rules;
        long watermark = Long.MIN_VALUE;

        Run(FollowUpRules rules) {
            this.rules = rules;
        }

        void accept(FollowUpInput input) {
            rules.accept(state, input, watermark, this);
        }

        /** Event time reaches {@code to}: every wake-up up to it, in order, as timers fire. */
        void advanceTo(long to) {
            while (!wakeUps.isEmpty() && wakeUps.first() <= to) {
                long at = wakeUps.pollFirst();
                watermark = at;
                rules.advance(state, at, this);
            }
            watermark = to;
        }

        @Override
        public void task(ContactTask task) {
            tasks.add(task);
        }

        @Override
        public void taskEvent(TaskEvent event) {
            events.add(event);
        }

        @Override
        public void recovery(Recovery recovery) {
            recoveries.add(recovery);
        }

        @Override
        public void holdout(HoldoutMembership membership) {}

        @Override
        public void attempt(AttemptFact attempt) {
            attempts.add(attempt);
        }

        @Override
        public void rejected(DeadLetter deadLetter) {
            rejected.add(deadLetter);
        }

        @Override
        public void wakeAt(long at) {
            wakeUps.add(at);
        }

        /** What a dialer or a board would see, without the wall-clock parts. */
        List<String> seen() {
            List<String> seen = new ArrayList<>();
            tasks.forEach(t -> seen.add(t.type() + " " + t.taskId() + " " + t.channel()));
            events.forEach(e -> seen.add(e.type() + " " + e.taskId() + " " + e.time()));
            recoveries.forEach(r -> seen.add("recovered " + r.orderId() + " " + r.taskId()));
            rejected.forEach(d -> seen.add("rejected " + d.reason()));
            return seen;
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

    private static ParsedOutcome outcome(String taskId, OutcomeCode code, long at) {
        return new ParsedOutcome(
                new ContactOutcome(
                        taskId,
                        "shop-1",
                        "cart-c1",
                        1,
                        "agent-1",
                        Channel.CALL,
                        code,
                        null,
                        at,
                        null,
                        null),
                null,
                "{}".getBytes(StandardCharsets.UTF_8),
                new SourcePosition("outcomes", 0, 0));
    }

    @Test
    void aDecidedCartGetsItsFirstCallThenItsEmailAndNothingIsKeptOnceItsWindowIsOver() {
        Run run = new Run(rules);
        FollowUpInput cart = FollowUpInput.of(decided("c1"));
        run.accept(cart);
        assertThat(run.tasks).isEmpty();
        assertThat(run.wakeUps).containsExactly(cart.time());

        run.advanceTo(cart.time());
        assertThat(run.tasks)
                .singleElement()
                .satisfies(
                        t -> {
                            assertThat(t.type()).isEqualTo(TaskType.CREATE);
                            assertThat(t.attempt()).isEqualTo(1);
                            assertThat(t.channel()).isEqualTo(Channel.CALL);
                            // Rendered when emitted (TaskContent), never kept in state.
                            assertThat(t.content()).isNull();
                        });
        assertThat(run.events).extracting(TaskEvent::type).containsExactly(TaskEventType.CREATED);

        run.advanceTo(T0 + 5 * HOUR);
        assertThat(run.tasks)
                .extracting(ContactTask::type, ContactTask::attempt, ContactTask::channel)
                .containsExactly(
                        tuple(TaskType.CREATE, 1, Channel.CALL),
                        tuple(TaskType.CANCEL, 1, null),
                        tuple(TaskType.CREATE, 2, Channel.EMAIL));
        assertThat(run.state.isEmpty()).isFalse();

        // After the last attempt's expiry and the attribution window, the customer is forgotten.
        run.advanceTo(T0 + 30 * DAY);
        assertThat(run.state.isEmpty()).isTrue();
        assertThat(run.wakeUps).isEmpty();
    }

    @Test
    void aPurchaseEndsTheSequenceCreditsTheCallThatReachedAndLeavesNothing() {
        Run run = new Run(rules);
        FollowUpInput cart = FollowUpInput.of(decided("c1"));
        run.accept(cart);
        run.advanceTo(cart.time());
        String taskId = run.tasks.get(0).taskId();

        run.accept(
                FollowUpInput.of(
                        IGNORED, outcome(taskId, OutcomeCode.REACHED_INTERESTED, T0 + HOUR)));
        run.accept(
                FollowUpInput.of(
                        new Purchase(
                                "shop-1",
                                "c1",
                                null,
                                "order-1",
                                T0 + 2 * HOUR,
                                new BigDecimal("199.90"),
                                "EUR")));
        run.advanceTo(T0 + 3 * HOUR);

        // The call was made (it has an outcome), so there is no open task to cancel.
        assertThat(run.tasks).extracting(ContactTask::type).containsExactly(TaskType.CREATE);
        assertThat(run.events)
                .extracting(TaskEvent::type)
                .containsExactly(
                        TaskEventType.CREATED,
                        TaskEventType.ATTEMPTED,
                        TaskEventType.OUTCOME,
                        TaskEventType.RECOVERED);
        assertThat(run.recoveries)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.taskId()).isEqualTo(taskId);
                            assertThat(r.contacted()).isTrue();
                            assertThat(r.value()).isEqualByComparingTo("199.90");
                        });
        // No email step after the purchase.
        assertThat(run.tasks).noneMatch(t -> t.attempt() == 2);

        run.advanceTo(T0 + 30 * DAY);
        assertThat(run.state.isEmpty()).isTrue();
        assertThat(run.wakeUps).isEmpty();
    }

    /**
     * An order is remembered only while the customer has carts it could end: a purchase of a
     * customer without carts leaves no order behind, and the order that ended the last cart goes
     * with it. (The rules skip forgetting when a decision saw no cart and put no order, as a clear
     * costs a seek in RocksDB; these cases prove the skip never keeps an order.)
     */
    @Test
    void ordersAreRememberedOnlyWhileCartsAreTracked() {
        Run withoutCarts = new Run(rules);
        withoutCarts.accept(FollowUpInput.of(purchase("c1", "order-0", T0)));
        withoutCarts.advanceTo(T0);
        assertThat(withoutCarts.state.hasOrder("order\norder-0")).isFalse();

        Run run = new Run(rules);
        FollowUpInput cart = FollowUpInput.of(decided("c1"));
        run.accept(cart);
        run.advanceTo(cart.time());
        run.accept(FollowUpInput.of(purchase("c1", "order-1", T0 + 2 * HOUR)));
        run.advanceTo(T0 + 2 * HOUR);
        assertThat(run.state.carts()).isEmpty();
        assertThat(run.state.hasOrder("order\norder-1")).isFalse();

        run.advanceTo(T0 + 30 * DAY);
        assertThat(run.state.isEmpty()).isTrue();
    }

    private static Purchase purchase(String customer, String orderId, long at) {
        return new Purchase("shop-1", customer, null, orderId, at, new BigDecimal("10.00"), "EUR");
    }

    @Test
    void anOutcomeOfATaskNeverIssuedIsRejectedWithItsReason() {
        Run run = new Run(rules);
        run.accept(
                FollowUpInput.of(
                        IGNORED, outcome("shop-1:cart-c1:1", OutcomeCode.NO_ANSWER, T0 + HOUR)));
        run.advanceTo(T0 + 2 * HOUR);

        assertThat(run.tasks).isEmpty();
        assertThat(run.rejected)
                .singleElement()
                .satisfies(d -> assertThat(d.reason()).startsWith("unknown task_id"));
    }

    @Test
    void theSameInputsGiveTheSameEffectsWhateverOrderTheyArriveIn() {
        EnrichedCart enriched = decided("c1");
        FollowUpInput cart = FollowUpInput.of(enriched);
        String taskId = ContactTask.taskId("shop-1", "cart-c1", 1);
        List<FollowUpInput> inputs =
                List.of(
                        cart,
                        FollowUpInput.of(
                                IGNORED, outcome(taskId, OutcomeCode.NO_ANSWER, T0 + HOUR)),
                        FollowUpInput.of(
                                new Purchase(
                                        "shop-1",
                                        "c1",
                                        null,
                                        "order-1",
                                        T0 + 9 * HOUR,
                                        new BigDecimal("250.00"),
                                        "EUR")));

        // All inputs known before event time moves, in two orders.
        Run inOrder = new Run(rules);
        inputs.forEach(inOrder::accept);
        inOrder.advanceTo(T0 + 30 * DAY);
        Run reversed = new Run(rules);
        List<FollowUpInput> backwards = new ArrayList<>(inputs);
        Collections.reverse(backwards);
        backwards.forEach(reversed::accept);
        reversed.advanceTo(T0 + 30 * DAY);

        assertThat(inOrder.seen()).isNotEmpty();
        assertThat(reversed.seen()).isEqualTo(inOrder.seen());
        assertThat(inOrder.state.isEmpty()).isTrue();
        assertThat(reversed.state.isEmpty()).isTrue();
    }

    @Test
    void aDoNotContactBlockOutlivesTheCustomersCartsByItsRetentionThenGoes() {
        FollowUpRules shortRetention =
                rules("0m:call,4h:email", Map.of("followup.block-retention", "30 d"));
        Run run = new Run(shortRetention);
        FollowUpInput cart = FollowUpInput.of(decided("c1"));
        run.accept(cart);
        run.advanceTo(cart.time());
        String taskId = run.tasks.get(0).taskId();
        long said = T0 + HOUR;
        run.accept(FollowUpInput.of(IGNORED, outcome(taskId, OutcomeCode.DO_NOT_CONTACT, said)));
        // The cart's attribution window (7 d) ends; the block stays.
        run.advanceTo(said + 20 * DAY);
        assertThat(run.state.blocks()).isNotNull();
        assertThat(run.state.blocks().doNotContact).isTrue();
        assertThat(run.wakeUps).contains(said + 30 * DAY);

        run.advanceTo(said + 30 * DAY);
        assertThat(run.state.isEmpty()).isTrue();
        assertThat(run.wakeUps).isEmpty();
    }

    @Test
    void aBlockRestoredFromAVersionThatKeptThemForGoodCountsItsRetentionFromNow() {
        FollowUpRules shortRetention =
                rules("0m:call,4h:email", Map.of("followup.block-retention", "30 d"));
        Run run = new Run(shortRetention);
        CustomerBlocks restored = new CustomerBlocks();
        restored.doNotContact = true;
        run.state.setBlocks(restored);
        long now = T0 + 400 * DAY;

        shortRetention.advance(run.state, now, run);

        assertThat(run.state.blocks()).isNotNull();
        assertThat(run.state.blocks().since).isEqualTo(now);
        assertThat(run.wakeUps).containsExactly(now + 30 * DAY);
    }
}

package io.cartrecovery.detection;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.Events.event;
import static io.cartrecovery.testing.Events.minutes;
import static io.cartrecovery.testing.Events.purchase;
import static io.cartrecovery.testing.Events.remove;
import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.config.JobSettings;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.EventType;
import io.cartrecovery.events.Stage;
import io.cartrecovery.keys.TrackedCartKey;
import io.cartrecovery.serialization.KeyTypes;
import io.cartrecovery.testing.Events;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cart tracker alone, with its timers and keyed state in view. */
class CartTrackerTest {
    private KeyedTwoInputStreamOperatorTestHarness<
                    TrackedCartKey, ClickEvent, ReasonSignal, AbandonedCart>
            harness;

    @BeforeEach
    void open() throws Exception {
        Configuration config = new Configuration();
        config.setString("detection.gaps", "shop-1.payment:5min");
        harness = harness(JobSettings.from(config));
    }

    static KeyedTwoInputStreamOperatorTestHarness<
                    TrackedCartKey, ClickEvent, ReasonSignal, AbandonedCart>
            harness(JobSettings settings) throws Exception {
        var h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new CartTracker(settings)),
                        ClickEvent::trackedCart,
                        ReasonSignal::cart,
                        KeyTypes.TRACKED_CART);
        h.open();
        return h;
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(Events.Builder event) throws Exception {
        ClickEvent e = event.build();
        harness.processElement1(new StreamRecord<>(e, e.eventTime()));
    }

    private void signal(ReasonSignal signal) throws Exception {
        harness.processElement2(new StreamRecord<>(signal, signal.effectiveTime()));
    }

    private void watermark(long time) throws Exception {
        harness.processBothWatermarks(new Watermark(time));
    }

    /**
     * The cart's own state and timers are gone; once the de-duplication's retention is over, its
     * event ids and their cleanup timers are too.
     */
    private void assertNothingLeftOnceIdsExpire() throws Exception {
        watermark(Long.MAX_VALUE / 2);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    private List<AbandonedCart> abandoned() {
        return harness.extractOutputValues();
    }

    private List<CartClosed> closed() {
        return harness.getSideOutput(CartTracker.CLOSED) == null
                ? List.of()
                : harness.getSideOutput(CartTracker.CLOSED).stream()
                        .map(StreamRecord::getValue)
                        .toList();
    }

    @Test
    void abandonedCartIsReportedOnceItsGapHasPassed() throws Exception {
        send(add("p1", 2, "19.99").atMinute(0));
        send(add("p2", 1, "5.00").atMinute(3));
        watermark(minutes(12.99));
        assertThat(abandoned()).isEmpty();

        watermark(minutes(13));
        assertThat(abandoned())
                .singleElement()
                .satisfies(
                        cart -> {
                            assertThat(cart.cartValue()).isEqualTo(new BigDecimal("44.98"));
                            assertThat(cart.items()).hasSize(2);
                            assertThat(cart.abandonedAt()).isEqualTo(minutes(3));
                            assertThat(cart.openedAt()).isEqualTo(minutes(0));
                            assertThat(cart.stage()).isEqualTo(Stage.CART);
                            assertThat(cart.reason()).isEqualTo(ReasonHint.UNKNOWN);
                            assertThat(cart.cartId()).isEqualTo("customer/cust-1/" + minutes(0));
                        });
        // Still watched for a purchase, with the retention's end as the key's one timer; the event
        // ids are remembered in the same value, and forgotten as it is next touched.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    private List<CartOpened> opened() {
        return harness.getSideOutput(CartTracker.OPENED) == null
                ? List.of()
                : harness.getSideOutput(CartTracker.OPENED).stream()
                        .map(StreamRecord::getValue)
                        .toList();
    }

    @Test
    void aCartOpensAtItsFirstAddAndAgainAfterItWasBought() throws Exception {
        send(add("p1", 1, "10").atMinute(0));
        send(add("p2", 1, "5").atMinute(1));
        assertThat(opened()).isEmpty(); // held until the watermark passes the add
        watermark(minutes(2));
        assertThat(opened())
                .singleElement()
                .satisfies(c -> assertThat(c.openedAt()).isEqualTo(minutes(0)));
        send(purchase().atMinute(3));
        send(add("p3", 1, "7").atMinute(4));
        watermark(minutes(5));
        assertThat(opened())
                .extracting(CartOpened::openedAt)
                .containsExactly(minutes(0), minutes(4));
        assertThat(opened().get(1).cartId()).isNotEqualTo(opened().get(0).cartId());
    }

    @Test
    void aRepeatedEventIdCountsOnce() throws Exception {
        send(add("p1", 1, "10").id("add-1").atMinute(0));
        send(add("p1", 1, "10").id("add-1").atMinute(0));
        send(add("p2", 1, "5").id("add-2").atMinute(1));
        watermark(minutes(20));
        assertThat(abandoned())
                .singleElement()
                .satisfies(
                        cart -> {
                            assertThat(cart.cartValue()).isEqualByComparingTo("15");
                            assertThat(cart.items()).hasSize(2);
                        });
    }

    @Test
    void purchaseInsideTheGapClearsStateAndTimers() throws Exception {
        send(add("p1", 1, "10").atMinute(0));
        // The key's one timer, at the cart's opening.
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        send(purchase().atMinute(5));
        watermark(minutes(60));
        assertThat(abandoned()).isEmpty();
        assertThat(closed()).isEmpty();
        assertNothingLeftOnceIdsExpire();
    }

    @Test
    void purchaseAfterTheTaskClosesTheCartAndClearsEverything() throws Exception {
        send(add("p1", 1, "10").atMinute(0));
        watermark(minutes(10));
        assertThat(abandoned()).hasSize(1);
        send(purchase().orderId("o-1").atMinute(40));
        assertThat(closed()).isEmpty(); // held until the watermark passes it
        watermark(minutes(40));
        assertThat(closed())
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.cause()).isEqualTo(CartClosed.Cause.PURCHASED);
                            assertThat(c.cartId()).isEqualTo(abandoned().get(0).cartId());
                            assertThat(c.orderId()).isEqualTo("o-1");
                        });
        assertNothingLeftOnceIdsExpire();
    }

    @Test
    void emptiedCartGetsNoTaskAndLeavesNothingBehind() throws Exception {
        send(add("p1", 2, "10").atMinute(0));
        send(remove("p1", 1).atMinute(1));
        send(remove("p1", 1).atMinute(2));
        watermark(minutes(60));
        assertThat(abandoned()).isEmpty();
        assertThat(closed()).isEmpty();
        assertNothingLeftOnceIdsExpire();
    }

    @Test
    void cartEmptiedAfterItsTaskCancelsIt() throws Exception {
        send(add("p1", 1, "10").atMinute(0));
        watermark(minutes(10));
        send(remove("p1", 1).atMinute(30));
        watermark(minutes(30));
        assertThat(closed())
                .singleElement()
                .extracting(CartClosed::cause)
                .isEqualTo(CartClosed.Cause.EMPTIED);
        assertNothingLeftOnceIdsExpire();
    }

    @Test
    void abandonedCartIsForgottenWhenRetentionEnds() throws Exception {
        send(add("p1", 1, "10").atMinute(0));
        watermark(minutes(10));
        assertThat(abandoned()).hasSize(1);
        watermark(minutes(0) + Duration.ofDays(7).toMillis() - 1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        watermark(minutes(0) + Duration.ofDays(7).toMillis());
        assertNothingLeftOnceIdsExpire();
        assertThat(abandoned()).hasSize(1);
    }

    @Test
    void activityPushesTheDeadlineAndTheGapFollowsTheFurthestStage() throws Exception {
        send(add("p1", 1, "10").atMinute(0));
        send(event(EventType.CHECKOUT_START).atMinute(8));
        send(event(EventType.PAYMENT_INFO).atMinute(9));
        // Payment stage: 5 minutes for shop-1, so 9 + 5.
        watermark(minutes(13.9));
        assertThat(abandoned()).isEmpty();
        watermark(minutes(14));
        assertThat(abandoned())
                .singleElement()
                .satisfies(
                        cart -> {
                            assertThat(cart.stage()).isEqualTo(Stage.PAYMENT);
                            assertThat(cart.gapMillis())
                                    .isEqualTo(Duration.ofMinutes(5).toMillis());
                        });
    }

    @Test
    void activityThatPushesTheDeadlineLaterKeepsOneTimerThatFollowsIt() throws Exception {
        send(add("p1", 1, "10").atMinute(0));
        watermark(minutes(0));
        // The deadline timer stays at minute 10 while activity pushes the deadline to 16.
        for (int minute = 1; minute <= 6; minute++) {
            send(event(EventType.PAGE_VIEW).atMinute(minute));
            watermark(minutes(minute));
            // The key's one timer, at the deadline first set; the ids seen need none.
            assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        }
        watermark(minutes(10));
        assertThat(abandoned()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        watermark(minutes(15.9));
        assertThat(abandoned()).isEmpty();
        watermark(minutes(16));
        assertThat(abandoned())
                .singleElement()
                .satisfies(cart -> assertThat(cart.abandonedAt()).isEqualTo(minutes(6)));
        send(purchase().atMinute(20));
        watermark(minutes(20));
        assertNothingLeftOnceIdsExpire();
    }

    @Test
    void aDeadlineThatMovesEarlierGetsItsOwnTimer() throws Exception {
        // Cart gap 10 minutes from minute 0, then payment (5 minutes) at minute 1: due at 6.
        send(add("p1", 1, "10").atMinute(0));
        watermark(minutes(0));
        send(event(EventType.PAYMENT_INFO).atMinute(1));
        watermark(minutes(5.9));
        assertThat(abandoned()).isEmpty();
        watermark(minutes(6));
        assertThat(abandoned()).singleElement();
        watermark(minutes(0) + Duration.ofDays(8).toMillis());
        assertNothingLeftOnceIdsExpire();
    }

    @Test
    void eventsWithoutItemsDoNotOpenACart() throws Exception {
        send(event(EventType.PRODUCT_VIEW).atMinute(0));
        send(event(EventType.CHECKOUT_START).atMinute(1));
        send(remove("p1", 1).atMinute(2));
        watermark(minutes(3));
        assertNothingLeftOnceIdsExpire();
    }

    @Test
    void aBrowsingKeyKeepsOneValueAndOneTimerForItsIdsAndThenNothing() throws Exception {
        for (int i = 0; i < 20; i++) {
            send(event(EventType.PAGE_VIEW).atMinute(i));
            watermark(minutes(i));
        }
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        assertThat(abandoned()).isEmpty();
        assertThat(opened()).isEmpty();
        assertNothingLeftOnceIdsExpire();
    }

    @Test
    void aCrawlersKeyForgetsItsOldestIdsRatherThanGrowWithoutBound() throws Exception {
        int events = SeenIds.MAX_IDS + 40;
        for (int i = 0; i < events; i++) {
            send(event(EventType.PAGE_VIEW).id("crawl-" + i).atMinute(i * 0.1));
        }
        watermark(minutes(events * 0.1));
        harness.getOperator().setCurrentKey(add("p1", 1, "1").build().trackedCart());
        CartState state =
                harness.getOperator()
                        .getKeyedStateBackend()
                        .getPartitionedState(
                                org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
                                org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE,
                                CartTracker.CART)
                        .value();
        assertThat(state.seenIds).hasSize(2 * SeenIds.MAX_IDS);
        // The newest ids are still remembered: their repeats are dropped.
        send(add("p1", 1, "1").id("crawl-" + (events - 1)).atMinute(events * 0.1 + 1));
        watermark(minutes(events * 0.1 + 60));
        assertThat(opened()).isEmpty();
        assertNothingLeftOnceIdsExpire();
    }

    @Test
    void strongestSignalSetsTheReasonAndOldSignalsAreIgnored() throws Exception {
        TrackedCartKey key = add("p1", 1, "1").build().trackedCart();
        send(add("p1", 1, "10").atMinute(5));
        signal(new ReasonSignal(key, ReasonHint.PAYMENT_PROBLEM, minutes(1), minutes(6)));
        signal(new ReasonSignal(key, ReasonHint.COMPLICATED_CHECKOUT, minutes(6), minutes(7)));
        signal(new ReasonSignal(key, ReasonHint.UNEXPECTED_COSTS, minutes(7), minutes(12)));
        // Effective after the deadline (minute 15): comes too late to count.
        signal(new ReasonSignal(key, ReasonHint.PAYMENT_PROBLEM, minutes(8), minutes(15.5)));
        watermark(minutes(15));
        assertThat(abandoned())
                .singleElement()
                .extracting(AbandonedCart::reason)
                .isEqualTo(ReasonHint.UNEXPECTED_COSTS);
    }

    @Test
    void eventInAnotherCurrencyIsRejectedNotMixedIn() throws Exception {
        send(add("p1", 1, "10").atMinute(0));
        send(add("p2", 1, "10").currency("USD").atMinute(1));
        watermark(minutes(20));
        assertThat(harness.getSideOutput(CartTracker.REJECTED))
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(r.getValue().reason())
                                        .isEqualTo("currency USD differs from the cart's EUR"));
        assertThat(abandoned())
                .singleElement()
                .extracting(AbandonedCart::cartValue)
                .isEqualTo(new BigDecimal("10"));
    }

    @Test
    void newCartAfterAPurchaseGetsANewId() throws Exception {
        send(add("p1", 1, "10").atMinute(0));
        send(purchase().atMinute(1));
        send(add("p2", 1, "10").atMinute(2));
        watermark(minutes(20));
        assertThat(abandoned())
                .singleElement()
                .extracting(AbandonedCart::cartId)
                .isEqualTo("customer/cust-1/" + minutes(2));
    }

    @Test
    void eventsAreAppliedInEventTimeOrderWhateverTheirArrival() throws Exception {
        send(add("p2", 1, "2").atMinute(0.05));
        send(purchase().atMinute(0.02));
        send(add("p1", 1, "1").atMinute(0));
        watermark(minutes(11));
        // p1 was bought at 0.02; p2 opened a new cart at 0.05.
        assertThat(abandoned())
                .singleElement()
                .satisfies(
                        cart -> {
                            assertThat(cart.cartId()).isEqualTo("customer/cust-1/" + minutes(0.05));
                            assertThat(cart.items())
                                    .extracting(l -> l.productId())
                                    .containsExactly("p2");
                        });
    }

    @Test
    void lateEventIsAppliedAndTheCartReportedAgainUnderTheSameId() throws Exception {
        send(add("p1", 1, "1").atMinute(0));
        watermark(minutes(12));
        assertThat(abandoned()).hasSize(1);
        send(add("p2", 1, "2").atMinute(1)); // behind the watermark: late
        watermark(minutes(12.5));
        assertThat(abandoned()).hasSize(2);
        assertThat(abandoned().get(1).cartId()).isEqualTo(abandoned().get(0).cartId());
        assertThat(abandoned().get(1).cartValue()).isEqualByComparingTo("3");
        assertThat(abandoned().get(1).abandonedAt()).isEqualTo(minutes(1));
    }

    @Test
    void lateCartWhoseGapIsAlreadyOverIsReportedWithoutWaitingForMoreTraffic() throws Exception {
        watermark(minutes(30));
        send(add("p1", 1, "4.50").atMinute(1)); // late, and its gap ended at minute 11
        assertThat(abandoned()).isEmpty(); // waits a moment for the rest of a late burst
        harness.setProcessingTime(CartTracker.LATE_GRACE_MILLIS);
        assertThat(abandoned())
                .singleElement()
                .satisfies(
                        cart -> {
                            assertThat(cart.abandonedAt()).isEqualTo(minutes(1));
                            assertThat(cart.cartValue()).isEqualByComparingTo("4.50");
                        });
        // Only the retention deadline is left; the ids seen need no timer of their own.
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        send(purchase().atMinute(2)); // late too: cancels what went out
        harness.setProcessingTime(2 * CartTracker.LATE_GRACE_MILLIS);
        assertThat(closed())
                .singleElement()
                .extracting(CartClosed::cause)
                .isEqualTo(CartClosed.Cause.PURCHASED);
        assertNothingLeftOnceIdsExpire();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void lateBurstOfAnAddAndItsPurchaseGivesNoTask() throws Exception {
        watermark(minutes(30));
        send(add("p1", 1, "4.50").atMinute(0));
        send(purchase().atMinute(4)); // bought within the gap, both arrived late
        harness.setProcessingTime(CartTracker.LATE_GRACE_MILLIS);
        assertThat(abandoned()).isEmpty();
        assertThat(closed()).isEmpty();
        assertNothingLeftOnceIdsExpire();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void lateBurstOfAnAddAndAPurchaseAfterItsGapIsReportedThenCancelled() throws Exception {
        watermark(minutes(30));
        send(add("p1", 1, "4.50").atMinute(1));
        send(purchase().atMinute(20)); // the gap ended at minute 11: abandoned, bought later
        harness.setProcessingTime(CartTracker.LATE_GRACE_MILLIS);
        assertThat(abandoned())
                .singleElement()
                .extracting(AbandonedCart::abandonedAt)
                .isEqualTo(minutes(1));
        assertThat(closed())
                .singleElement()
                .extracting(CartClosed::cause)
                .isEqualTo(CartClosed.Cause.PURCHASED);
        assertNothingLeftOnceIdsExpire();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void latePurchaseStillCancels() throws Exception {
        send(add("p1", 1, "1").atMinute(0));
        watermark(minutes(12));
        send(purchase().atMinute(5));
        harness.setProcessingTime(CartTracker.LATE_GRACE_MILLIS);
        assertThat(closed())
                .singleElement()
                .extracting(CartClosed::cause)
                .isEqualTo(CartClosed.Cause.PURCHASED);
        assertNothingLeftOnceIdsExpire();
    }
}

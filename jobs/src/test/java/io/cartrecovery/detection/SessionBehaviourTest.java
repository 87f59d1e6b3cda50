package io.cartrecovery.detection;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.Events.event;
import static io.cartrecovery.testing.Events.minutes;
import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.config.JobSettings;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.ContactDetails;
import io.cartrecovery.events.EventType;
import io.cartrecovery.keys.TrackedCartKey;
import io.cartrecovery.testing.Events;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Session behaviour and identify details the tracker carries on an abandoned cart. */
class SessionBehaviourTest {
    private KeyedTwoInputStreamOperatorTestHarness<
                    TrackedCartKey, ClickEvent, ReasonSignal, AbandonedCart>
            harness;

    @BeforeEach
    void open() throws Exception {
        harness = CartTrackerTest.harness(JobSettings.defaults());
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(Events.Builder event) throws Exception {
        ClickEvent e = event.build();
        harness.processElement1(new StreamRecord<>(e, e.eventTime()));
    }

    private AbandonedCart abandonedAfter(double minute) throws Exception {
        harness.processBothWatermarks(new Watermark(minutes(minute)));
        return harness.extractOutputValues().get(0);
    }

    @Test
    void viewsProductsTimeStepsAndErrorsAreCountedFromTheCartsFirstEvent() throws Exception {
        send(event(EventType.PAGE_VIEW).atMinute(-5)); // before the cart: no state to count in
        send(add("p1", 1, "20.00").atMinute(0));
        send(event(EventType.PRODUCT_VIEW).item("p2", 1, null).atMinute(1));
        send(event(EventType.PRODUCT_VIEW).item("p3", 1, null).atMinute(2));
        send(event(EventType.PRODUCT_VIEW).item("p2", 1, null).atMinute(3));
        send(event(EventType.CART_VIEW).item("p1", 1, "20.00").atMinute(4));
        send(event(EventType.CHECKOUT_START).item("p1", 1, "20.00").atMinute(5));
        send(event(EventType.CHECKOUT_ERROR).atMinute(6));
        send(event(EventType.PAYMENT_INFO).atMinute(7));
        send(event(EventType.PAYMENT_FAILED).atMinute(8));

        SessionStats session = abandonedAfter(30).session();

        assertThat(session.views()).isEqualTo(4);
        assertThat(session.productsViewed()).isEqualTo(2);
        assertThat(session.timeOnSiteMillis()).isEqualTo(minutes(8) - minutes(0));
        // checkout and payment; shipping was skipped
        assertThat(session.checkoutSteps()).isEqualTo(2);
        assertThat(session.errors()).isEqualTo(2);
        assertThat(session.previousAbandonments()).isZero();
    }

    @Test
    void distinctProductsStopCountingAtTheCapSoStateStaysSmall() throws Exception {
        send(add("p1", 1, "20.00").atMinute(0));
        for (int i = 0; i < 3 * CartState.MAX_VIEWED_PRODUCTS; i++) {
            send(event(EventType.PRODUCT_VIEW).item("seen-" + i, 1, null).atMinute(0.01 * i));
        }
        harness.processBothWatermarks(new Watermark(minutes(5)));
        harness.getOperator().setCurrentKey(new TrackedCartKey("shop-1/customer/cust-1"));
        CartState state =
                harness.getOperator()
                        .getKeyedStateBackend()
                        .getPartitionedState(
                                org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
                                org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE,
                                CartTracker.CART)
                        .value();
        assertThat(state.viewedProducts).hasSize(CartState.MAX_VIEWED_PRODUCTS);

        assertThat(abandonedAfter(30).session().productsViewed())
                .isEqualTo(CartState.MAX_VIEWED_PRODUCTS);
    }

    @Test
    void identifyDetailsOfTheCartsCustomerAreCarriedFieldByField() throws Exception {
        send(add("p1", 1, "20.00").customer("c1").atMinute(0));
        send(
                event(EventType.IDENTIFY)
                        .customer("c1")
                        .contact("Ana", null, "+34612345678")
                        .atMinute(1));
        send(
                event(EventType.IDENTIFY)
                        .customer("c1")
                        .contact(null, "ana@example.com", null)
                        .atMinute(2));

        AbandonedCart cart = abandonedAfter(30);

        assertThat(cart.identified())
                .isEqualTo(new ContactDetails("Ana", "ana@example.com", "+34612345678"));
        assertThat(cart.toString()).doesNotContain("+34612345678", "ana@example.com");
    }

    @Test
    void identifyOfAnotherCustomerOnTheSameCartIsNotTaken() throws Exception {
        send(add("p1", 1, "20.00").cart("k1").customer("c1").atMinute(0));
        send(
                event(EventType.IDENTIFY)
                        .cart("k1")
                        .customer("someone-else")
                        .contact("Eve", null, "+34699999999")
                        .atMinute(1));

        assertThat(abandonedAfter(30).identified()).isNull();
    }

    @Test
    void viewsStillCountAsActivityAndMoveTheDeadline() throws Exception {
        send(add("p1", 1, "20.00").atMinute(0));
        send(event(EventType.PRODUCT_VIEW).item("p2", 1, null).atMinute(9));

        harness.processBothWatermarks(new Watermark(minutes(18.99)));
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(abandonedAfter(19).abandonedAt()).isEqualTo(minutes(9));
    }
}

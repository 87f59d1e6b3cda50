package io.cartrecovery.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.events.EventType;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class UnexpectedCostsTest {
    private static final long SILENCE = 5;
    private static final BigDecimal COST = new BigDecimal("4.90");

    private final UnexpectedCosts rule = new UnexpectedCosts(SILENCE);
    private final CartState cart = new CartState();

    /** Event times are epoch millis after 2000: 0 is no time (a field never set). */
    private static final long T0 = 946_684_800_000L;

    private boolean at(long time, EventType type) {
        return rule.observe(cart, type, null, T0 + time);
    }

    private boolean shown(long time, BigDecimal cost) {
        return rule.observe(cart, EventType.SHIPPING_INFO, cost, T0 + time);
    }

    private boolean trueBy(long time) {
        return rule.trueBy(cart, T0 + time);
    }

    @Test
    void aCostShownThenSilenceIsTheSignalAtTheSilencesEnd() {
        assertThat(shown(0, COST)).isFalse();
        assertThat(trueBy(SILENCE - 1)).isFalse();
        assertThat(trueBy(SILENCE)).isTrue();
        assertThat(at(SILENCE - 1, EventType.PAGE_VIEW)).isFalse();
        assertThat(at(SILENCE, EventType.PAGE_VIEW)).isTrue();
        // Used up: the next event is no second signal.
        assertThat(at(SILENCE + 1, EventType.PAGE_VIEW)).isFalse();
    }

    @Test
    void everyPaymentStepWithinTheSilenceAnswersTheCost() {
        for (EventType step :
                new EventType[] {
                    EventType.PAYMENT_INFO, EventType.PAYMENT_FAILED, EventType.PURCHASE
                }) {
            CartState fresh = new CartState();
            assertThat(rule.observe(fresh, EventType.SHIPPING_INFO, COST, T0)).isFalse();
            assertThat(rule.observe(fresh, step, null, T0 + SILENCE - 1)).isFalse();
            assertThat(rule.trueBy(fresh, T0 + 100 * SILENCE)).as(step.toString()).isFalse();
        }
    }

    @Test
    void aPaymentStepAtTheSilencesEndComesTooLate() {
        shown(0, COST);
        assertThat(at(SILENCE, EventType.PAYMENT_INFO)).isTrue();
    }

    @Test
    void otherEventsDoNotAnswerTheCost() {
        shown(0, COST);
        for (EventType type :
                new EventType[] {
                    EventType.PAGE_VIEW,
                    EventType.ADD_TO_CART,
                    EventType.CHECKOUT_START,
                    EventType.CHECKOUT_ERROR
                }) {
            assertThat(at(1, type)).isFalse();
        }
        assertThat(trueBy(SILENCE)).isTrue();
    }

    @Test
    void freeOrUnknownShippingIsNoCost() {
        shown(0, BigDecimal.ZERO);
        shown(1, null);
        assertThat(trueBy(100 * SILENCE)).isFalse();
    }

    @Test
    void theEarliestUnansweredShowingCounts() {
        shown(0, COST);
        shown(3, COST);
        assertThat(trueBy(SILENCE)).isTrue();
    }

    @Test
    void aShowingAfterAnAnswerStartsItsOwnSilence() {
        shown(0, COST);
        at(2, EventType.PAYMENT_INFO);
        shown(10, COST);
        assertThat(trueBy(10 + SILENCE - 1)).isFalse();
        assertThat(trueBy(10 + SILENCE)).isTrue();
    }

    @Test
    void aShowingAfterASignalStartsItsOwnSilence() {
        shown(0, COST);
        assertThat(at(SILENCE + 1, EventType.PAGE_VIEW)).isTrue();
        shown(20, COST);
        assertThat(trueBy(20 + SILENCE - 1)).isFalse();
        assertThat(trueBy(20 + SILENCE)).isTrue();
    }
}

package io.cartrecovery.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.events.EventType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The long-checkout rule alone: the CEP pattern it replaced, written as a few timestamps. */
class LongCheckoutTest {
    private static final long MINUTE = 60_000;
    private final LongCheckout rule = new LongCheckout(15 * MINUTE, 30 * MINUTE);
    private CartState cart;

    @BeforeEach
    void open() {
        cart = new CartState();
    }

    private boolean at(double minute, EventType type) {
        return rule.observe(cart, type, (long) (minute * MINUTE));
    }

    @Test
    void anyEventAtTheThresholdAfterAStartMatches() {
        assertThat(at(0, EventType.CHECKOUT_START)).isFalse();
        assertThat(at(14.9, EventType.PAGE_VIEW)).isFalse();
        assertThat(at(15, EventType.PAGE_VIEW)).isTrue();
    }

    @Test
    void aStartAtTheWindowOrOlderIsGone() {
        at(0, EventType.CHECKOUT_START);
        assertThat(at(30, EventType.PAGE_VIEW)).isFalse();
        assertThat(cart.checkoutStarts).isEmpty();
    }

    @Test
    void anotherStartCanCompleteTheCheckoutOfAnEarlierOne() {
        for (int minute = 1; minute <= 13; minute += 4) {
            assertThat(at(minute, EventType.CHECKOUT_START)).isFalse();
        }
        assertThat(at(17, EventType.CHECKOUT_START)).isTrue();
    }

    @Test
    void aMatchUsesUpEveryStartBeforeIt() {
        at(0, EventType.CHECKOUT_START);
        at(5, EventType.CHECKOUT_START);
        assertThat(at(16, EventType.CHECKOUT_START)).isTrue();
        // The start at 5 and the event at 16 went with the match.
        assertThat(at(21, EventType.PAGE_VIEW)).isFalse();
        assertThat(cart.checkoutStarts).isEmpty();
        at(22, EventType.CHECKOUT_START);
        assertThat(at(37, EventType.CART_VIEW)).isTrue();
    }

    @Test
    void withoutAStartNothingMatches() {
        assertThat(at(0, EventType.PAYMENT_INFO)).isFalse();
        assertThat(at(20, EventType.PAGE_VIEW)).isFalse();
    }

    @Test
    void startsAreBounded() {
        for (int i = 0; i < 3 * LongCheckout.MAX_STARTS; i++) {
            at(i * 0.1, EventType.CHECKOUT_START);
        }
        assertThat(cart.checkoutStarts).hasSize(LongCheckout.MAX_STARTS);
        // The earliest starts are the ones kept: they match first.
        assertThat(at(15, EventType.PAGE_VIEW)).isTrue();
    }
}

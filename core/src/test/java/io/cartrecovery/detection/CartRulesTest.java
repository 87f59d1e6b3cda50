package io.cartrecovery.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.EventType;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cart tracker's decisions alone, without Flink: one key's state, events and a watermark. */
class CartRulesTest {
    private static final long MINUTE = 60_000;
    private static final long GAP = 30 * MINUTE;
    private static final long T0 = 1_796_000_000_000L;

    private final CartRules rules =
            new CartRules(
                    GapPolicy.of(Duration.ofMillis(GAP), Map.of("shop-2", Duration.ofMinutes(5))),
                    Duration.ofDays(3).toMillis(),
                    new LongCheckout(20 * MINUTE, 60 * MINUTE),
                    new UnexpectedCosts(10 * MINUTE));

    /** What the rules decided, in order. */
    private static final class Recorded implements CartRules.Effects {
        final List<AbandonedCart> abandoned = new ArrayList<>();
        final List<CartOpened> opened = new ArrayList<>();
        final List<CartClosed> closed = new ArrayList<>();
        final List<String> rejected = new ArrayList<>();

        @Override
        public void abandoned(AbandonedCart cart) {
            abandoned.add(cart);
        }

        @Override
        public void opened(CartOpened cart) {
            opened.add(cart);
        }

        @Override
        public void closed(CartClosed cart) {
            closed.add(cart);
        }

        @Override
        public void rejected(ClickEvent event, String reason) {
            rejected.add(event.eventId() + ": " + reason);
        }

        @Override
        public long now() {
            return 42;
        }
    }

    private final CartState key = new CartState();
    private final Recorded out = new Recorded();
    private int ids;

    private ClickEvent event(EventType type, long at, String currency, CartLine... items) {
        return event("shop-1", type, at, currency, items);
    }

    private ClickEvent event(
            String store, EventType type, long at, String currency, CartLine... items) {
        return new ClickEvent(
                "e" + ++ids,
                type,
                store,
                at,
                "c-1",
                "cust-1",
                null,
                null,
                currency,
                List.of(items),
                null,
                type == EventType.PURCHASE ? "o-1" : null,
                null,
                null);
    }

    private static CartLine mug(int quantity) {
        return new CartLine("mug", "Mug", quantity, new BigDecimal("12.50"));
    }

    /** The event arrives while the watermark is at {@code watermark}. */
    private void arrives(ClickEvent event, long watermark) {
        rules.event(key, event, watermark, out);
    }

    private void watermarkAt(long watermark) {
        rules.timer(key, watermark, out);
    }

    @Test
    void aCartQuietForItsGapIsReportedOnceWithItsContents() {
        arrives(event(EventType.ADD_TO_CART, T0, "EUR", mug(2)), T0 - 1);
        assertThat(out.opened).isEmpty();
        assertThat(rules.firstDue(key)).as("the add opens a cart when passed").isEqualTo(T0);

        watermarkAt(T0);
        assertThat(out.opened).extracting(CartOpened::cartId).containsExactly("c-1");
        assertThat(rules.firstDue(key)).isEqualTo(T0 + GAP);

        watermarkAt(T0 + GAP - 1);
        assertThat(out.abandoned).isEmpty();
        watermarkAt(T0 + GAP);
        assertThat(out.abandoned).hasSize(1);
        AbandonedCart cart = out.abandoned.get(0);
        assertThat(cart.cartValue()).isEqualByComparingTo("25.00");
        assertThat(cart.gapMillis()).isEqualTo(GAP);
        assertThat(cart.detectedAt()).isEqualTo(42);

        watermarkAt(T0 + 2 * GAP);
        assertThat(out.abandoned).as("reported once").hasSize(1);
    }

    @Test
    void aPurchaseWithinTheGapEndsTheCartWithoutAReportOrACancel() {
        arrives(event(EventType.ADD_TO_CART, T0, "EUR", mug(1)), T0 - 1);
        arrives(event(EventType.PURCHASE, T0 + GAP - 1, "EUR"), T0 - 1);
        watermarkAt(T0 + 10 * GAP);

        assertThat(out.abandoned).isEmpty();
        assertThat(out.closed).as("no task was out").isEmpty();
        assertThat(key.hasCart()).isFalse();
    }

    @Test
    void aPurchaseAfterTheReportCancelsTheTask() {
        arrives(event(EventType.ADD_TO_CART, T0, "EUR", mug(1)), T0 - 1);
        watermarkAt(T0 + GAP);
        arrives(event(EventType.PURCHASE, T0 + 2 * GAP, "EUR"), T0 + GAP);
        assertThat(rules.firstDue(key)).as("a purchase cancels at once").isEqualTo(T0 + 2 * GAP);
        watermarkAt(T0 + 2 * GAP);

        assertThat(out.abandoned).hasSize(1);
        assertThat(out.closed)
                .extracting(CartClosed::cause, CartClosed::orderId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(CartClosed.Cause.PURCHASED, "o-1"));
    }

    @Test
    void arrivalOrderDoesNotMatterOnlyEventTime() {
        ClickEvent add = event(EventType.ADD_TO_CART, T0, "EUR", mug(1));
        ClickEvent purchase = event(EventType.PURCHASE, T0 + GAP - 1, "EUR");
        arrives(purchase, T0 - 1);
        arrives(add, T0 - 1);
        watermarkAt(T0 + 10 * GAP);

        assertThat(out.abandoned).isEmpty();
        assertThat(out.opened).hasSize(1);
    }

    @Test
    void aDeadlineBetweenTwoHeldEventsIsDecidedBetweenThem() {
        // Both passed by the watermark at once (a jump): the add's gap ends before the purchase.
        arrives(event(EventType.ADD_TO_CART, T0, "EUR", mug(1)), T0 - 1);
        arrives(event(EventType.PURCHASE, T0 + 2 * GAP, "EUR"), T0 - 1);
        watermarkAt(T0 + 3 * GAP);

        assertThat(out.abandoned).as("abandoned, then bought").hasSize(1);
        assertThat(out.closed).hasSize(1);
    }

    @Test
    void aCurrencyOtherThanTheCartsIsRejectedAndChangesNothing() {
        arrives(event(EventType.ADD_TO_CART, T0, "EUR", mug(1)), T0 - 1);
        arrives(event(EventType.ADD_TO_CART, T0 + MINUTE, "USD", mug(5)), T0 - 1);
        watermarkAt(T0 + MINUTE + GAP);

        assertThat(out.rejected).containsExactly("e2: currency USD differs from the cart's EUR");
        assertThat(out.abandoned).singleElement().satisfies(c -> assertThat(c.items()).hasSize(1));
        assertThat(out.abandoned.get(0).cartValue()).isEqualByComparingTo("12.50");
    }

    @Test
    void removingEverythingEndsTheCart() {
        arrives(event(EventType.ADD_TO_CART, T0, "EUR", mug(1)), T0 - 1);
        arrives(event(EventType.REMOVE_FROM_CART, T0 + MINUTE, "EUR", mug(1)), T0 - 1);
        watermarkAt(T0 + 10 * GAP);

        assertThat(out.abandoned).isEmpty();
        assertThat(key.hasCart()).isFalse();
    }

    @Test
    void eachStoreHasItsOwnGap() {
        arrives(event("shop-2", EventType.ADD_TO_CART, T0, "EUR", mug(1)), T0 - 1);
        watermarkAt(T0);
        assertThat(rules.firstDue(key)).isEqualTo(T0 + 5 * MINUTE);
    }

    @Test
    void aLateEventIsSaidToBeLate() {
        assertThat(rules.event(key, event(EventType.PAGE_VIEW, T0, null), T0, out)).isTrue();
        assertThat(rules.event(key, event(EventType.PAGE_VIEW, T0 + 1, null), T0, out)).isFalse();
    }

    @Test
    void browsingWithoutACartLeavesNothingOnceTheWatermarkPassesIt() {
        arrives(event(EventType.PAGE_VIEW, T0, null), T0 - 1);
        assertThat(rules.firstDue(key)).isEqualTo(T0 + CartRules.IDLE_HOLD_MILLIS);
        watermarkAt(T0 + CartRules.IDLE_HOLD_MILLIS);
        assertThat(key.held).isNullOrEmpty();
        assertThat(out.opened).isEmpty();
    }
}

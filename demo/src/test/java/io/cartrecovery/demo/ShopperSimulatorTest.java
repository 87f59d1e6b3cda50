package io.cartrecovery.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.events.EventType;
import io.cartrecovery.events.EventValidator;
import io.cartrecovery.testing.CanonicalParser;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ShopperSimulatorTest {
    private static final long START = Instant.parse("2026-11-26T08:00:00Z").toEpochMilli();
    private static final long HOUR = Duration.ofHours(1).toMillis();

    /** Far beyond every simulated event, so the future-skew check never trips. */
    private static final InstantSource FAR_FUTURE =
            InstantSource.fixed(Instant.parse("2100-01-01T00:00:00Z"));

    /** Carts opened in this first stretch have their outcome decided by the end of the run. */
    private static final long COUNTED_HOURS = 4;

    /** Returns come at most 6 h after leaving; a journey lasts well under an hour. */
    private static final long RUN_HOURS = COUNTED_HOURS + 7;

    /** E.164, from the ranges kept free for fiction: no real person gets a demo call. */
    private static final Pattern FICTIONAL_PHONE =
            Pattern.compile(
                    "\\+49(3023125|6990009|4066969|2214710|8999998)\\d{3}"
                            + "|\\+1[2-9]\\d{2}55501\\d{2}"
                            + "|\\+447700900\\d{3}");

    private static ShopperSimulator simulator;
    private static List<ClickEvent> events;
    private static Map<String, List<ClickEvent>> byCart;

    /** About 3,600 visits in the counted hours (15 per minute), 10,000 in all. */
    @BeforeAll
    static void simulate() {
        simulator = new ShopperSimulator(new SimulatorSettings(3, 0.25, 42, START));
        events = simulator.advanceTo(START + RUN_HOURS * HOUR);
        byCart = new LinkedHashMap<>();
        for (ClickEvent event : events) {
            byCart.computeIfAbsent(event.trackedCart().value(), k -> new ArrayList<>()).add(event);
        }
    }

    @Test
    void sameSeedSameEventsHoweverTheClockIsStepped() {
        long end = START + HOUR;
        List<ClickEvent> inOneGo =
                new ShopperSimulator(new SimulatorSettings(3, 0.25, 42, START)).advanceTo(end);
        ShopperSimulator stepped = new ShopperSimulator(new SimulatorSettings(3, 0.25, 42, START));
        List<ClickEvent> inSteps = new ArrayList<>();
        for (long t = START; t <= end; t += 7_919) {
            inSteps.addAll(stepped.advanceTo(t));
        }
        inSteps.addAll(stepped.advanceTo(end));

        assertThat(inOneGo).hasSizeGreaterThan(500).isEqualTo(inSteps);
        assertThat(events.subList(0, inOneGo.size())).isEqualTo(inOneGo);
        assertThat(new ShopperSimulator(new SimulatorSettings(3, 0.25, 43, START)).advanceTo(end))
                .isNotEqualTo(inOneGo);
    }

    @Test
    void everyEventIsValidAndReadsBackUnchanged() throws Exception {
        EventValidator validator = new EventValidator(Duration.ofHours(1), FAR_FUTURE);
        CanonicalParser parser = new CanonicalParser(65536, Duration.ofHours(1), FAR_FUTURE);
        for (ClickEvent event : events) {
            validator.validate(event);
        }
        // Writing and reading JSON is the slow part; the counted hours hold every kind of event.
        List<ClickEvent> early =
                events.stream().filter(e -> e.eventTime() < START + COUNTED_HOURS * HOUR).toList();
        List<ClickEvent> readBack = new ArrayList<>();
        for (ClickEvent event : early) {
            readBack.add(parser.parse(ClickEventJson.toJson(event)));
        }
        assertThat(readBack).isEqualTo(early);
        assertThat(events.stream().map(ClickEvent::eventId).distinct().count())
                .isEqualTo(events.size());
        assertThat(early.stream().map(ClickEvent::type).distinct())
                .containsExactlyInAnyOrder(EventType.values());
    }

    @Test
    void eventsComeInTimeOrderWithinTheRun() {
        assertThat(events)
                .isSortedAccordingTo((a, b) -> Long.compare(a.eventTime(), b.eventTime()));
        assertThat(events.get(0).eventTime()).isGreaterThan(START);
        assertThat(events.get(events.size() - 1).eventTime())
                .isLessThanOrEqualTo(START + RUN_HOURS * HOUR);
        for (List<ClickEvent> cart : byCart.values()) {
            for (int i = 1; i < cart.size(); i++) {
                assertThat(cart.get(i).eventTime()).isGreaterThan(cart.get(i - 1).eventTime());
            }
        }
    }

    @Test
    void storesHaveTheirCurrencyAndContactDetailsAreWellFormed() {
        Map<String, String> currencies = Map.of("shop-1", "EUR", "shop-2", "USD", "shop-3", "GBP");
        for (ClickEvent event : events) {
            if (event.currency() != null) {
                assertThat(event.currency()).isEqualTo(currencies.get(event.storeId()));
            }
            if (event.contact() != null) {
                assertThat(event.type()).isEqualTo(EventType.IDENTIFY);
                assertThat(event.contact().email()).endsWith("@example.com");
                if (event.contact().phone() != null) {
                    assertThat(event.contact().phone()).matches(FICTIONAL_PHONE);
                }
            }
        }
        assertThat(events).anyMatch(e -> e.contact() != null && e.customerId() != null);
        assertThat(events).anyMatch(e -> e.contact() != null && e.customerId() == null);
        assertThat(byCart.keySet())
                .anyMatch(k -> k.contains("/cart/"))
                .anyMatch(k -> k.contains("/customer/"))
                .anyMatch(k -> k.contains("/visitor/"));
    }

    /**
     * Measured from the events, not from the simulator's own counts: each cart key's carts, opened
     * by an add and closed by a purchase.
     */
    @Test
    void mostCartsEndWithoutPurchaseAsInPublishedStudies() {
        long opened = 0;
        long bought = 0;
        for (List<ClickEvent> cart : byCart.values()) {
            boolean open = false;
            for (ClickEvent event : cart) {
                if (event.type() == EventType.ADD_TO_CART && !open) {
                    open = true;
                    if (event.eventTime() < START + COUNTED_HOURS * HOUR) {
                        opened++;
                    } else {
                        break;
                    }
                } else if (event.type() == EventType.PURCHASE && open) {
                    open = false;
                    bought++;
                }
            }
        }
        double abandoned = 1 - (double) bought / opened;
        System.out.printf(
                "ShopperSimulatorTest: %d carts opened in %d h, %.1f%% left without purchase%n",
                opened, COUNTED_HOURS, 100 * abandoned);
        assertThat(opened).isGreaterThan(300);
        assertThat(abandoned).isBetween(0.60, 0.80);

        ShopperSimulator.Stats stats = simulator.stats();
        assertThat(stats.visitsStarted()).isBetween(9_000L, 11_000L);
        assertThat(stats.purchases()).isEqualTo(count(e -> e.type() == EventType.PURCHASE));
        assertThat(stats.cartsOpened())
                .isEqualTo(stats.purchases() + stats.cartsLeft() + stats.openCarts());
    }

    @Test
    void everyKindOfJourneyHappens() {
        // The cost a buyer accepted: the last one before the purchase (a returning buyer may have
        // seen a shock in the first visit).
        BigDecimal highestBoughtShipping =
                byCart.values().stream()
                        .filter(ShopperSimulatorTest::bought)
                        .map(
                                cart ->
                                        cart.stream()
                                                .map(ClickEvent::shippingCost)
                                                .filter(Objects::nonNull)
                                                .reduce((first, second) -> second))
                        .flatMap(Optional::stream)
                        .max(BigDecimal::compareTo)
                        .orElseThrow();
        // Shipping shock: left right after a shipping cost higher than any buyer was shown.
        assertThat(byCart.values())
                .anyMatch(
                        cart ->
                                !bought(cart)
                                        && last(cart).type() == EventType.SHIPPING_INFO
                                        && last(cart)
                                                        .shippingCost()
                                                        .compareTo(highestBoughtShipping)
                                                > 0);
        assertThat(byCart.values())
                .anyMatch(cart -> !bought(cart) && count(cart, EventType.PAYMENT_FAILED) >= 2)
                .anyMatch(cart -> !bought(cart) && count(cart, EventType.CHECKOUT_ERROR) >= 2)
                .anyMatch(cart -> bought(cart) && count(cart, EventType.PAYMENT_FAILED) == 1)
                .anyMatch(cart -> count(cart, EventType.REMOVE_FROM_CART) > 0)
                .anyMatch(ShopperSimulatorTest::returnedHoursLaterAndBought);
    }

    /** Hours of silence, then a new session that buys the cart as it was, adding nothing. */
    private static boolean returnedHoursLaterAndBought(List<ClickEvent> cart) {
        for (int i = 1; i < cart.size(); i++) {
            if (cart.get(i).eventTime() - cart.get(i - 1).eventTime() >= HOUR
                    && !cart.get(i).sessionId().equals(cart.get(i - 1).sessionId())) {
                List<ClickEvent> comeback = cart.subList(i, cart.size());
                return count(cart.subList(0, i), EventType.ADD_TO_CART) > 0
                        && count(comeback, EventType.ADD_TO_CART) == 0
                        && count(comeback, EventType.PURCHASE) == 1;
            }
        }
        return false;
    }

    private static boolean bought(List<ClickEvent> cart) {
        return count(cart, EventType.PURCHASE) > 0;
    }

    private static long count(List<ClickEvent> cart, EventType type) {
        return cart.stream().filter(e -> e.type() == type).count();
    }

    private static long count(Predicate<ClickEvent> filter) {
        return events.stream().filter(filter).count();
    }

    private static ClickEvent last(List<ClickEvent> cart) {
        return cart.get(cart.size() - 1);
    }
}

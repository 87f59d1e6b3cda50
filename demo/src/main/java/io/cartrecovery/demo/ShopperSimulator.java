package io.cartrecovery.demo;

import io.cartrecovery.demo.StoreProfile.Product;
import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.ContactDetails;
import io.cartrecovery.events.EventType;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Shoppers of several stores on a simulated clock, as canonical clickstream events
 * (docs/clickstream.md). Pure logic: no I/O, no wall clock; the same settings give the same events
 * however {@link #advanceTo} is stepped.
 *
 * <p>Visits arrive at random (a Poisson process). Most browse and leave; about one in eight puts
 * one to three products in the cart. A cart is then bought, or left at a stage for a reason, in the
 * shares published studies report: about 70% of carts are abandoned; of the shoppers who leave
 * after starting checkout, 48% do so over unexpected costs (here: a shipping cost far above the
 * advertised one) and 24% over a complicated checkout (repeated checkout errors, or a checkout
 * never finished). Some give up after repeated payment failures, and a few come back hours later in
 * a new session and buy, so a contact task gets cancelled. Shoppers think between seconds and four
 * minutes between events, always less than the default abandonment gap of ten minutes.
 *
 * <p>Only shoppers still on their way are held; memory grows with the visit rate, not with time.
 */
public final class ShopperSimulator {
    /** Add-to-cart rate of online shops: about 10-15% of visits. */
    static final double CART_SHARE = 0.13;

    /** Visits without a cart that leave after the first page. */
    static final double BOUNCE_SHARE = 0.4;

    static final double LOGGED_IN_SHARE = 0.35;

    /** Logged-in visits that log in now (an identify event); the others are remembered. */
    static final double LOGIN_EVENT_SHARE = 0.4;

    /**
     * Anonymous visitors who log in once they have a cart. Only where the store sends cart ids:
     * elsewhere the login would split the cart in two (docs/clickstream.md, cart identity), which
     * is a store's integration mistake, not shopper behaviour.
     */
    static final double MID_CART_LOGIN_SHARE = 0.15;

    /** Guests who type in their name, email and phone at checkout. */
    static final double GUEST_DETAILS_SHARE = 0.6;

    /** Carts bought in the visit that opened them. */
    static final double BUY_SHARE = 0.27;

    /**
     * Left carts whose shopper comes back hours later and buys. With {@link #BUY_SHARE}, 68% of
     * carts end without a purchase (studies: 60-75%).
     */
    static final double RETURN_SHARE = 0.07;

    /** Customer ids per store; large, so a customer rarely has two journeys close together. */
    static final int CUSTOMERS_PER_STORE = 200_000;

    private static final long SECOND = 1000;
    private static final long HOUR = 3600 * SECOND;

    /** Shoppers who take longer than this between two clicks have left. */
    private static final long MAX_THINK = 4 * 60 * SECOND;

    private static final List<String> CHECKOUT_ERRORS =
            List.of("invalid_address", "postcode_mismatch", "invalid_phone", "session_expired");
    private static final List<String> PAYMENT_ERRORS =
            List.of("card_declined", "insufficient_funds", "authentication_failed", "expired_card");

    /** A step of a journey, with the median time the shopper takes before it. */
    private enum Step {
        LANDING(0),
        BROWSE(25),
        VIEW_PRODUCT(30),
        ADD(35),
        REMOVE(20),
        VIEW_CART(12),
        LOGIN(20),
        GUEST_DETAILS(50),
        CHECKOUT(15),
        CHECKOUT_ERROR(35),
        SHIPPING(60),
        SHIPPING_SHOCK(60),
        PAYMENT(45),
        PAYMENT_FAILED(25),
        PURCHASE(15),
        /** Gone for hours; the next step starts a new session. */
        AWAY(0);

        final double medianSeconds;

        Step(double medianSeconds) {
            this.medianSeconds = medianSeconds;
        }
    }

    /**
     * Where and why a cart is left, weighted so that past the cart stage 48% leave over unexpected
     * costs and 24% over a complicated checkout (ClearGo 2023).
     */
    private enum Leave {
        /** Just looking, comparing prices, saving for later. */
        AT_CART(25),
        SHIPPING_SHOCK(36),
        CHECKOUT_ERRORS(10),
        QUIET_AT_CHECKOUT(8),
        PAYMENT_FAILURES(8),
        QUIET_AT_SHIPPING(6),
        QUIET_AT_PAYMENT(7);

        final int weight;

        Leave(int weight) {
            this.weight = weight;
        }
    }

    /**
     * Counts so far.
     *
     * @param visitsStarted sessions, returns included
     * @param cartsOpened carts that got a first item
     * @param purchases carts bought
     * @param cartsLeft carts whose shopper left for good without buying
     * @param openCarts carts whose shopper is still shopping or will come back
     */
    public record Stats(
            long visitsStarted, long cartsOpened, long purchases, long cartsLeft, long openCarts) {}

    private static final class Shopper {
        final StoreProfile store;
        final String anonymousId;
        final Deque<Step> plan = new ArrayDeque<>();
        final Map<String, CartLine> cart = new LinkedHashMap<>();
        String customerId;
        String sessionId;
        String cartId;
        ContactDetails guestDetails;
        Product viewed;
        boolean hasCart;
        boolean bought;
        long at;
        long order;

        Shopper(StoreProfile store, String anonymousId, String sessionId) {
            this.store = store;
            this.anonymousId = anonymousId;
            this.sessionId = sessionId;
        }
    }

    private final SimulatorSettings settings;
    private final Random random;
    private final List<StoreProfile> stores = new ArrayList<>();
    private final double[] cumulativeTraffic;
    private final PriorityQueue<Shopper> due =
            new PriorityQueue<>(
                    Comparator.comparingLong((Shopper s) -> s.at).thenComparingLong(s -> s.order));
    private final Set<String> busyCustomers = new HashSet<>();
    private double nextArrival;
    private long scheduled;
    private long visits;
    private long cartsOpened;
    private long purchases;
    private long cartsLeft;

    public ShopperSimulator(SimulatorSettings settings) {
        this.settings = settings;
        this.random = new Random(settings.seed());
        this.cumulativeTraffic = new double[settings.stores()];
        double total = 0;
        for (int i = 0; i < settings.stores(); i++) {
            StoreProfile store = StoreProfile.number(i + 1);
            stores.add(store);
            total += store.trafficWeight();
            cumulativeTraffic[i] = total;
        }
        this.nextArrival = settings.startEpochMillis() + interArrivalMillis();
    }

    /**
     * Runs the simulated clock up to a time (inclusive) and returns what happened since the last
     * call, in event-time order. A time before the last one returns nothing.
     */
    public List<ClickEvent> advanceTo(long simulatedEpochMillis) {
        List<ClickEvent> events = new ArrayList<>();
        while (true) {
            Shopper next = due.peek();
            long arrival = (long) nextArrival;
            if (arrival <= simulatedEpochMillis && (next == null || arrival <= next.at)) {
                arrive(arrival);
                nextArrival += interArrivalMillis();
            } else if (next != null && next.at <= simulatedEpochMillis) {
                due.poll();
                ClickEvent event = perform(next);
                if (event != null) {
                    events.add(event);
                }
                if (next.plan.isEmpty()) {
                    finish(next);
                } else {
                    schedule(next, next.at + think(next.plan.peek()));
                }
            } else {
                return events;
            }
        }
    }

    public Stats stats() {
        return new Stats(
                visits, cartsOpened, purchases, cartsLeft, cartsOpened - purchases - cartsLeft);
    }

    private double interArrivalMillis() {
        return -Math.log(1 - random.nextDouble()) / settings.visitsPerSecond() * SECOND;
    }

    private void arrive(long at) {
        StoreProfile store = pickStore();
        Shopper shopper = new Shopper(store, "v-" + hexId(), "s-" + hexId());
        boolean loggedIn = random.nextDouble() < LOGGED_IN_SHARE;
        boolean logsInNow = loggedIn && random.nextDouble() < LOGIN_EVENT_SHARE;
        if (loggedIn && !logsInNow) {
            shopper.customerId = freeCustomer(store);
        }
        plan(shopper, logsInNow);
        schedule(shopper, at);
    }

    private StoreProfile pickStore() {
        double point = random.nextDouble() * cumulativeTraffic[cumulativeTraffic.length - 1];
        for (int i = 0; i < cumulativeTraffic.length - 1; i++) {
            if (point < cumulativeTraffic[i]) {
                return stores.get(i);
            }
        }
        return stores.get(stores.size() - 1);
    }

    private void plan(Shopper shopper, boolean logsInNow) {
        Deque<Step> plan = shopper.plan;
        plan.add(Step.LANDING);
        if (logsInNow) {
            plan.add(Step.LOGIN);
        }
        if (random.nextDouble() >= CART_SHARE) {
            int pages = random.nextDouble() < BOUNCE_SHARE ? 0 : 1 + random.nextInt(5);
            for (int i = 0; i < pages; i++) {
                plan.add(random.nextDouble() < 0.6 ? Step.VIEW_PRODUCT : Step.BROWSE);
            }
            return;
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            plan.add(random.nextBoolean() ? Step.VIEW_PRODUCT : Step.BROWSE);
        }
        double size = random.nextDouble();
        int products = size < 0.55 ? 1 : size < 0.85 ? 2 : 3;
        boolean guest = shopper.customerId == null && !logsInNow;
        for (int i = 0; i < products; i++) {
            plan.add(Step.VIEW_PRODUCT);
            plan.add(Step.ADD);
            if (i == 0
                    && guest
                    && shopper.store.sendsCartId()
                    && random.nextDouble() < MID_CART_LOGIN_SHARE) {
                plan.add(Step.LOGIN);
                guest = false;
            }
        }
        // With two products or more, taking one unit out never empties the cart.
        if (products > 1 && random.nextDouble() < 0.15) {
            plan.add(Step.REMOVE);
        }
        Leave leave = random.nextDouble() < BUY_SHARE ? null : pickLeave();
        if (random.nextDouble() < (leave == Leave.AT_CART ? 0.6 : 0.8)) {
            plan.add(Step.VIEW_CART);
        }
        planCheckout(plan, leave, guest);
        if (leave != null && random.nextDouble() < RETURN_SHARE) {
            plan.add(Step.AWAY);
            plan.add(Step.LANDING);
            plan.add(Step.VIEW_CART);
            planCheckout(plan, null, guest);
        }
    }

    private Leave pickLeave() {
        int point = random.nextInt(100);
        for (Leave leave : Leave.values()) {
            point -= leave.weight;
            if (point < 0) {
                return leave;
            }
        }
        throw new IllegalStateException("leave weights must add up to 100");
    }

    /** The checkout steps up to the purchase, or up to where the shopper leaves. */
    private void planCheckout(Deque<Step> plan, Leave leave, boolean guest) {
        if (leave == Leave.AT_CART) {
            return;
        }
        plan.add(Step.CHECKOUT);
        if (leave == Leave.CHECKOUT_ERRORS) {
            repeat(plan, Step.CHECKOUT_ERROR, 2 + random.nextInt(2));
            return;
        }
        if (leave == Leave.QUIET_AT_CHECKOUT) {
            return;
        }
        if (leave == null && random.nextDouble() < 0.1) {
            plan.add(Step.CHECKOUT_ERROR);
        }
        if (guest && random.nextDouble() < GUEST_DETAILS_SHARE) {
            plan.add(Step.GUEST_DETAILS);
        }
        if (leave == Leave.SHIPPING_SHOCK) {
            plan.add(Step.SHIPPING_SHOCK);
            return;
        }
        plan.add(Step.SHIPPING);
        if (leave == Leave.QUIET_AT_SHIPPING) {
            return;
        }
        plan.add(Step.PAYMENT);
        if (leave == Leave.PAYMENT_FAILURES) {
            repeat(plan, Step.PAYMENT_FAILED, 2 + random.nextInt(2));
            return;
        }
        if (leave == Leave.QUIET_AT_PAYMENT) {
            return;
        }
        if (random.nextDouble() < 0.08) {
            // One declined card, then another one works.
            plan.add(Step.PAYMENT_FAILED);
            plan.add(Step.PAYMENT);
        }
        plan.add(Step.PURCHASE);
    }

    private static void repeat(Deque<Step> plan, Step step, int times) {
        for (int i = 0; i < times; i++) {
            plan.add(step);
        }
    }

    private void schedule(Shopper shopper, long at) {
        shopper.at = at;
        shopper.order = scheduled++;
        due.add(shopper);
    }

    /** Time before a step: log-normal around its median, as dwell times are. */
    private long think(Step next) {
        if (next == Step.AWAY) {
            return HOUR + (long) (random.nextDouble() * 5 * HOUR);
        }
        double millis = next.medianSeconds * SECOND * Math.exp(0.6 * random.nextGaussian());
        return Math.max(2 * SECOND, Math.min(MAX_THINK, Math.round(millis)));
    }

    private void finish(Shopper shopper) {
        if (shopper.hasCart && !shopper.bought) {
            cartsLeft++;
        }
        if (shopper.customerId != null) {
            busyCustomers.remove(shopper.store.id() + "/" + shopper.customerId);
        }
    }

    /** A customer of the store who is not on a journey now, or null after a few misses. */
    private String freeCustomer(StoreProfile store) {
        for (int attempt = 0; attempt < 10; attempt++) {
            String id = "cust-" + (100_001 + random.nextInt(CUSTOMERS_PER_STORE));
            if (busyCustomers.add(store.id() + "/" + id)) {
                return id;
            }
        }
        return null;
    }

    /** The event of one step, or null for a step the shopper takes silently. */
    private ClickEvent perform(Shopper s) {
        Step step = s.plan.poll();
        return switch (step) {
            case LANDING -> {
                visits++;
                yield event(s, EventType.PAGE_VIEW, List.of());
            }
            case BROWSE -> event(s, EventType.PAGE_VIEW, List.of());
            case VIEW_PRODUCT -> {
                s.viewed = pickProduct(s);
                yield event(s, EventType.PRODUCT_VIEW, List.of(line(s.viewed, 1)));
            }
            case ADD -> add(s);
            case REMOVE -> remove(s);
            case VIEW_CART -> cartEvent(s, EventType.CART_VIEW, null, null);
            case LOGIN -> login(s);
            case GUEST_DETAILS -> {
                if (s.guestDetails == null) {
                    s.guestDetails = s.store.region().person(random);
                }
                yield event(s, EventType.IDENTIFY, List.of(), null, null, null, s.guestDetails);
            }
            case CHECKOUT -> cartEvent(s, EventType.CHECKOUT_START, null, null);
            case CHECKOUT_ERROR ->
                    cartEvent(s, EventType.CHECKOUT_ERROR, null, pick(CHECKOUT_ERRORS));
            case SHIPPING ->
                    cartEvent(s, EventType.SHIPPING_INFO, s.store.shippingFor(subtotal(s)), null);
            case SHIPPING_SHOCK ->
                    cartEvent(s, EventType.SHIPPING_INFO, s.store.shockingShipping(random), null);
            case PAYMENT -> cartEvent(s, EventType.PAYMENT_INFO, null, null);
            case PAYMENT_FAILED ->
                    cartEvent(s, EventType.PAYMENT_FAILED, null, pick(PAYMENT_ERRORS));
            case PURCHASE -> {
                s.bought = true;
                purchases++;
                String orderId = "ord-" + (1_000_000 + purchases);
                yield event(s, EventType.PURCHASE, snapshot(s), null, orderId, null, null);
            }
            case AWAY -> {
                s.sessionId = "s-" + hexId();
                yield null;
            }
        };
    }

    private ClickEvent add(Shopper s) {
        if (!s.hasCart) {
            s.hasCart = true;
            cartsOpened++;
            if (s.store.sendsCartId()) {
                s.cartId = "cart-" + hexId();
            }
        }
        CartLine added = line(s.viewed, random.nextDouble() < 0.15 ? 2 : 1);
        s.cart.merge(
                added.productId(),
                added,
                (old, more) -> old.withQuantity(old.quantity() + more.quantity()));
        return event(s, EventType.ADD_TO_CART, List.of(added));
    }

    private ClickEvent remove(Shopper s) {
        List<CartLine> lines = new ArrayList<>(s.cart.values());
        CartLine line = lines.get(random.nextInt(lines.size()));
        if (line.quantity() > 1) {
            s.cart.put(line.productId(), line.withQuantity(line.quantity() - 1));
        } else {
            s.cart.remove(line.productId());
        }
        // Removals name the line and the units, as trackers send them; no price, so no currency.
        return event(
                s,
                EventType.REMOVE_FROM_CART,
                List.of(new CartLine(line.productId(), line.name(), 1, null)));
    }

    private ClickEvent login(Shopper s) {
        if (s.customerId == null) {
            s.customerId = freeCustomer(s.store);
            if (s.customerId == null) {
                return null;
            }
        }
        return event(s, EventType.IDENTIFY, List.of(), null, null, null, customerDetails(s));
    }

    /** The same customer has the same name, email and phone every time. */
    private ContactDetails customerDetails(Shopper s) {
        long customerSeed =
                settings.seed() * 1_000_003L + (s.store.id() + "/" + s.customerId).hashCode();
        return s.store.region().person(new Random(customerSeed));
    }

    /** A product of the store, preferably one not in the cart yet. */
    private Product pickProduct(Shopper s) {
        List<Product> catalogue = s.store.catalogue();
        Product product = catalogue.get(random.nextInt(catalogue.size()));
        for (int attempt = 0; attempt < 3 && s.cart.containsKey(product.id()); attempt++) {
            product = catalogue.get(random.nextInt(catalogue.size()));
        }
        return product;
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static CartLine line(Product product, int quantity) {
        return new CartLine(product.id(), product.name(), quantity, product.price());
    }

    private static List<CartLine> snapshot(Shopper s) {
        return List.copyOf(s.cart.values());
    }

    private static BigDecimal subtotal(Shopper s) {
        return s.cart.values().stream()
                .map(CartLine::lineTotal)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** A cart-stage event: it carries the whole cart, as docs/clickstream.md recommends. */
    private ClickEvent cartEvent(Shopper s, EventType type, BigDecimal shippingCost, String error) {
        return event(s, type, snapshot(s), shippingCost, null, error, null);
    }

    private ClickEvent event(Shopper s, EventType type, List<CartLine> items) {
        return event(s, type, items, null, null, null, null);
    }

    private ClickEvent event(
            Shopper s,
            EventType type,
            List<CartLine> items,
            BigDecimal shippingCost,
            String orderId,
            String error,
            ContactDetails contact) {
        boolean amounts =
                shippingCost != null || items.stream().anyMatch(l -> l.unitPrice() != null);
        return new ClickEvent(
                eventId(),
                type,
                s.store.id(),
                s.at,
                s.cartId,
                s.customerId,
                s.anonymousId,
                s.sessionId,
                amounts ? s.store.currency() : null,
                items,
                shippingCost,
                orderId,
                error,
                contact);
    }

    /** A version-4 UUID drawn from the seeded generator, so ids repeat with the seed. */
    private String eventId() {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }

    /** 48 random bits: short enough to read, collisions unlikely below millions of shoppers. */
    private String hexId() {
        return String.format("%012x", random.nextLong() >>> 16);
    }
}

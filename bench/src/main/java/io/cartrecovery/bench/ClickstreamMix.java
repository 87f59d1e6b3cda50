package io.cartrecovery.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * The bench's input: canonical clickstream events (docs/clickstream.md), one JSON object a line,
 * the same bytes for the same seed and size, millions of them in seconds.
 *
 * <p>It is the mix the issue measured (issue 16): 60 stores with traffic falling off as 1/n,
 * visitors who only browse, about one cart per 11 events, 29% of carts bought (some by shoppers who
 * come back hours later), the others left at the cart, checkout, shipping or payment stage; half
 * the stores send a cart id, a third of shoppers are logged in. On top comes what real tracking
 * adds: event times jittered by up to {@link #JITTER_MILLIS} either way, so the lines are
 * time-ordered only to within a second, and {@link #DUPLICATE_SHARE} of events sent twice with the
 * same {@code event_id} (tracker retries). Events also carry the page and user agent a tracker
 * sends; the pipeline ignores them, but they are part of every record it reads.
 *
 * <p>The demo's {@code ShopperSimulator} models the same journeys in more detail, on a live clock;
 * driven in one go it writes about 50,000 events a second and a third of the carts per event, too
 * slow and too light for millions of events of this mix. This class writes the lines directly.
 */
public final class ClickstreamMix {
    public static final int STORES = 60;

    /** New visits a second over all stores: 2 M events span about 8 hours of event time. */
    public static final double VISITS_PER_SECOND = 12;

    /** Events a tracker sends twice (a retry after a lost acknowledgement). */
    public static final double DUPLICATE_SHARE = 0.002;

    /** Clock skew between a shopper's browser and the store's servers; well below 5 s. */
    public static final long JITTER_MILLIS = 400;

    /** A fixed past instant, so that the bytes depend on the seed alone and none lie in future. */
    public static final long START_EPOCH_MILLIS =
            Instant.parse("2025-11-03T08:00:00Z").toEpochMilli();

    static final double CART_VISIT_SHARE = 0.5;
    static final double BUY_SHARE = 0.28;

    /**
     * Left carts whose shopper comes back hours later and buys: 28% + 3% of 72% is 30%, less the
     * purchases the end of the file cuts off: 29%.
     */
    static final double RETURN_SHARE = 0.03;

    static final double LOGGED_IN_SHARE = 0.35;
    static final int CUSTOMERS_PER_STORE = 200_000;
    static final int PRODUCTS_PER_STORE = 400;

    private static final long SECOND = 1000;
    private static final long HOUR = 3600 * SECOND;

    /** Think times stay below this, well under the default 10 min abandonment gap. */
    private static final long MAX_THINK = 4 * 60 * SECOND;

    private static final String[] CURRENCIES = {"EUR", "USD", "GBP", "EUR", "SEK", "PLN"};
    private static final String[] PRODUCT_WORDS = {
        "Trail",
        "Running",
        "Wool",
        "Leather",
        "Classic",
        "Compact",
        "Wireless",
        "Organic",
        "Travel",
        "Cotton",
        "Steel",
        "Ceramic",
        "Bamboo",
        "Outdoor",
        "Kids",
        "Studio"
    };
    private static final String[] PRODUCT_NOUNS = {
        "shoe",
        "socks",
        "jacket",
        "backpack",
        "headphones",
        "mug",
        "lamp",
        "bottle",
        "tent",
        "shirt",
        "watch",
        "kettle",
        "chair",
        "blanket",
        "speaker",
        "cap"
    };
    private static final String[] CHECKOUT_ERRORS = {
        "invalid_address", "postcode_mismatch", "invalid_phone", "session_expired"
    };
    private static final String[] PAYMENT_ERRORS = {
        "card_declined", "insufficient_funds", "authentication_failed", "expired_card"
    };
    private static final String[] USER_AGENTS = {
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/126.0 Mobile",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15"
    };

    /**
     * What a file holds.
     *
     * @param events lines written, duplicates included
     * @param duplicates lines that repeat an earlier line's event
     * @param bytes file size
     * @param visitors visits started (a returning shopper counts once)
     * @param browseOnlyVisitors visits without an {@code add_to_cart}
     * @param carts carts that got an {@code add_to_cart}
     * @param cartsBought carts that got a {@code purchase}
     * @param stores stores with events
     * @param firstEventTime earliest {@code event_time}, epoch milliseconds
     * @param lastEventTime latest {@code event_time}, epoch milliseconds
     */
    public record Mix(
            long events,
            long duplicates,
            long bytes,
            long visitors,
            long browseOnlyVisitors,
            long carts,
            long cartsBought,
            int stores,
            long firstEventTime,
            long lastEventTime) {

        public double boughtShare() {
            return carts == 0 ? 0 : (double) cartsBought / carts;
        }

        public double duplicateShare() {
            return events == 0 ? 0 : (double) duplicates / events;
        }

        public double bytesPerEvent() {
            return events == 0 ? 0 : (double) bytes / events;
        }
    }

    private ClickstreamMix() {}

    /** Writes {@code events} lines to {@code file}, replacing it. */
    public static Mix write(Path file, long events, long seed) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            return write(out, events, seed);
        }
    }

    public static Mix write(OutputStream out, long events, long seed) throws IOException {
        return new Writer(out, events, seed).run();
    }

    /** What a line does to the counts, known when it is planned. */
    private enum Mark {
        NONE,
        VISIT,
        CART_VISIT,
        OPENS_CART,
        BUYS
    }

    /** A planned line, written when the clock reaches its time. */
    private record Line(long time, long order, byte[] bytes, Mark mark, int store) {}

    private static final class Writer {
        final OutputStream out;
        final long limit;
        final Random random;
        final Random noise;
        final double[] cumulativeTraffic = new double[STORES];
        final PriorityQueue<Line> due =
                new PriorityQueue<>(
                        Comparator.comparingLong(Line::time).thenComparingLong(Line::order));
        final boolean[] storesSeen = new boolean[STORES];
        final StringBuilder json = new StringBuilder(1024);
        long planned;
        long events;
        long duplicates;
        long bytes;
        long visits;
        long browseOnly;
        long carts;
        long bought;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long orders;
        byte[] pendingDuplicate;

        Writer(OutputStream out, long limit, long seed) {
            this.out = out;
            this.limit = limit;
            this.random = new Random(seed);
            // Its own generator, so that jitter and duplicates do not change the shoppers.
            this.noise = new Random(seed * 31 + 7);
            double total = 0;
            for (int i = 0; i < STORES; i++) {
                total += 1.0 / (i + 1);
                cumulativeTraffic[i] = total;
            }
        }

        Mix run() throws IOException {
            double clock = START_EPOCH_MILLIS;
            while (events < limit) {
                clock += -Math.log(1 - random.nextDouble()) / VISITS_PER_SECOND * SECOND;
                long visitStart = (long) clock;
                while (!due.isEmpty() && due.peek().time() < visitStart && events < limit) {
                    write(due.poll());
                }
                planVisit(visitStart);
            }
            out.flush();
            int stores = 0;
            for (boolean seen : storesSeen) {
                stores += seen ? 1 : 0;
            }
            return new Mix(
                    events,
                    duplicates,
                    bytes,
                    visits,
                    browseOnly,
                    carts,
                    bought,
                    stores,
                    first,
                    last);
        }

        private void write(Line line) throws IOException {
            out.write(line.bytes());
            events++;
            bytes += line.bytes().length;
            first = Math.min(first, line.time());
            last = Math.max(last, line.time());
            storesSeen[line.store()] = true;
            switch (line.mark()) {
                case VISIT -> {
                    visits++;
                    browseOnly++;
                }
                case CART_VISIT -> visits++;
                case OPENS_CART -> carts++;
                case BUYS -> bought++;
                case NONE -> {}
            }
            // The retry arrives after the next event, not right behind its original.
            if (pendingDuplicate != null && events < limit) {
                out.write(pendingDuplicate);
                events++;
                duplicates++;
                bytes += pendingDuplicate.length;
                pendingDuplicate = null;
            }
            if (noise.nextDouble() < DUPLICATE_SHARE) {
                pendingDuplicate = line.bytes();
            }
        }

        private void planVisit(long start) {
            int store = pickStore();
            Visit v = new Visit(store, start);
            v.anonymousId = "v-" + hex(random.nextLong(), 12);
            v.sessionId = "s-" + hex(random.nextLong(), 12);
            v.userAgent = USER_AGENTS[random.nextInt(USER_AGENTS.length)];
            if (random.nextDouble() < LOGGED_IN_SHARE) {
                v.customerId = "cust-" + (100_001 + random.nextInt(CUSTOMERS_PER_STORE));
            }
            boolean cartVisit = random.nextDouble() < CART_VISIT_SHARE;
            v.event("page_view", "/", cartVisit ? Mark.CART_VISIT : Mark.VISIT);
            if (!cartVisit) {
                int pages = random.nextDouble() < 0.35 ? 0 : 1 + random.nextInt(4);
                for (int i = 0; i < pages; i++) {
                    browse(v);
                }
                return;
            }
            for (int i = random.nextInt(3); i > 0; i--) {
                browse(v);
            }
            if (storeSendsCartId(store)) {
                v.cartId = "cart-" + hex(random.nextLong(), 12);
            }
            double size = random.nextDouble();
            int products = size < 0.55 ? 1 : size < 0.85 ? 2 : 3;
            for (int i = 0; i < products; i++) {
                int product = pickProduct(v);
                v.think(30);
                v.productView(product);
                v.think(35);
                v.add(product, random.nextDouble() < 0.15 ? 2 : 1, i == 0);
            }
            if (products > 1 && random.nextDouble() < 0.15) {
                v.think(20);
                v.removeOne(random);
            }
            if (random.nextDouble() < 0.8) {
                v.think(12);
                v.snapshot("cart_view", "/cart", null, null, Mark.NONE);
            }
            boolean buys = random.nextDouble() < BUY_SHARE;
            if (buys) {
                checkout(v, 4, true);
                return;
            }
            // Where the cart is left: at the cart, in checkout, at shipping or at payment.
            double where = random.nextDouble();
            int leaveAt = where < 0.35 ? 0 : where < 0.55 ? 1 : where < 0.8 ? 2 : 3;
            checkout(v, leaveAt, false);
            if (random.nextDouble() < RETURN_SHARE) {
                v.time += HOUR + (long) (random.nextDouble() * 4 * HOUR);
                v.sessionId = "s-" + hex(random.nextLong(), 12);
                v.snapshot("cart_view", "/cart", null, null, Mark.NONE);
                checkout(v, 4, true);
            }
        }

        /** Checkout steps up to stage {@code reach} (0 cart, 1 checkout, 2 shipping, 3 payment). */
        private void checkout(Visit v, int reach, boolean buys) {
            if (reach == 0) {
                return;
            }
            v.think(15);
            v.snapshot("checkout_start", "/checkout", null, null, Mark.NONE);
            if (reach == 1 && random.nextDouble() < 0.5) {
                for (int i = 2 + random.nextInt(2); i > 0; i--) {
                    v.think(35);
                    v.snapshot(
                            "checkout_error",
                            "/checkout",
                            null,
                            CHECKOUT_ERRORS[random.nextInt(CHECKOUT_ERRORS.length)],
                            Mark.NONE);
                }
            }
            if (reach == 1) {
                return;
            }
            if (v.customerId == null && random.nextDouble() < 0.5) {
                v.think(50);
                v.identify();
            }
            v.think(60);
            v.snapshot("shipping_info", "/checkout/shipping", v.shipping(), null, Mark.NONE);
            if (reach == 2) {
                return;
            }
            v.think(45);
            v.snapshot("payment_info", "/checkout/payment", null, null, Mark.NONE);
            if (!buys || random.nextDouble() < 0.08) {
                for (int i = buys ? 1 : 1 + random.nextInt(3); i > 0; i--) {
                    v.think(25);
                    v.snapshot(
                            "payment_failed",
                            "/checkout/payment",
                            null,
                            PAYMENT_ERRORS[random.nextInt(PAYMENT_ERRORS.length)],
                            Mark.NONE);
                }
                if (buys) {
                    v.think(30);
                    v.snapshot("payment_info", "/checkout/payment", null, null, Mark.NONE);
                }
            }
            if (buys) {
                v.think(15);
                v.purchase("ord-" + (1_000_000 + ++orders));
            }
        }

        private void browse(Visit v) {
            v.think(25);
            if (random.nextDouble() < 0.6) {
                v.productView(random.nextInt(PRODUCTS_PER_STORE));
            } else {
                v.event("page_view", "/c/" + (1 + random.nextInt(30)), Mark.NONE);
            }
        }

        private int pickProduct(Visit v) {
            int product = random.nextInt(PRODUCTS_PER_STORE);
            for (int i = 0; i < 3 && v.cart.containsKey(product); i++) {
                product = random.nextInt(PRODUCTS_PER_STORE);
            }
            return product;
        }

        private int pickStore() {
            double point = random.nextDouble() * cumulativeTraffic[STORES - 1];
            for (int i = 0; i < STORES - 1; i++) {
                if (point < cumulativeTraffic[i]) {
                    return i;
                }
            }
            return STORES - 1;
        }

        /** One shopper's visit, planned line by line ahead of the clock. */
        private final class Visit {
            final int store;
            final Map<Integer, Integer> cart = new LinkedHashMap<>();
            long time;
            String anonymousId;
            String customerId;
            String sessionId;
            String cartId;
            String userAgent;

            Visit(int store, long start) {
                this.store = store;
                this.time = start;
            }

            /** Dwell time before the next click: log-normal around its median, as measured. */
            void think(double medianSeconds) {
                double millis = medianSeconds * SECOND * Math.exp(0.6 * random.nextGaussian());
                time += Math.max(2 * SECOND, Math.min(MAX_THINK, Math.round(millis)));
            }

            void event(String type, String page, Mark mark) {
                begin(type, page);
                end(mark);
            }

            void productView(int product) {
                begin("product_view", "/p/" + productId(store, product));
                json.append(",\"currency\":\"").append(currency(store)).append('"');
                json.append(",\"items\":[");
                item(product, 1);
                json.append(']');
                end(Mark.NONE);
            }

            void add(int product, int quantity, boolean opens) {
                cart.merge(product, quantity, Integer::sum);
                begin("add_to_cart", "/p/" + productId(store, product));
                json.append(",\"currency\":\"").append(currency(store)).append('"');
                json.append(",\"items\":[");
                item(product, quantity);
                json.append(']');
                end(opens ? Mark.OPENS_CART : Mark.NONE);
            }

            void removeOne(Random random) {
                List<Integer> lines = new ArrayList<>(cart.keySet());
                int product = lines.get(random.nextInt(lines.size()));
                cart.computeIfPresent(product, (p, q) -> q > 1 ? q - 1 : null);
                begin("remove_from_cart", "/cart");
                // Removals name the line and the units, as trackers send them; no price.
                json.append(",\"items\":[{\"product_id\":\"")
                        .append(productId(store, product))
                        .append("\",\"quantity\":1}]");
                end(Mark.NONE);
            }

            /** A cart-stage event with the whole cart, as docs/clickstream.md recommends. */
            void snapshot(String type, String page, String shippingCost, String error, Mark mark) {
                begin(type, page);
                json.append(",\"currency\":\"").append(currency(store)).append('"');
                json.append(",\"items\":[");
                boolean firstLine = true;
                for (Map.Entry<Integer, Integer> line : cart.entrySet()) {
                    if (!firstLine) {
                        json.append(',');
                    }
                    item(line.getKey(), line.getValue());
                    firstLine = false;
                }
                json.append(']');
                if (shippingCost != null) {
                    json.append(",\"shipping_cost\":\"").append(shippingCost).append('"');
                }
                if (error != null) {
                    json.append(",\"error\":\"").append(error).append('"');
                }
                end(mark);
            }

            void identify() {
                begin("identify", "/checkout/details");
                String name = "Guest " + hex(random.nextLong(), 6);
                json.append(",\"traits\":{\"name\":\"")
                        .append(name)
                        .append("\",\"email\":\"")
                        .append(name.replace(' ', '.').toLowerCase(java.util.Locale.ROOT))
                        .append("@example.com\",\"phone\":\"+4930")
                        .append(1_000_000 + random.nextInt(9_000_000))
                        .append("\"}");
                end(Mark.NONE);
            }

            void purchase(String orderId) {
                begin("purchase", "/checkout/done");
                json.append(",\"order_id\":\"").append(orderId).append('"');
                end(Mark.BUYS);
            }

            /** Standard shipping, free from 50 on, as most shops advertise it. */
            String shipping() {
                if (random.nextDouble() < 0.3) {
                    // A surcharge far above the advertised cost: bulky item, express only.
                    return (19 + random.nextInt(30)) + ".90";
                }
                return subtotalCents() >= 5000 ? "0.00" : "4.90";
            }

            private long subtotalCents() {
                long cents = 0;
                for (Map.Entry<Integer, Integer> line : cart.entrySet()) {
                    cents += priceCents(store, line.getKey()) * line.getValue();
                }
                return cents;
            }

            private void item(int product, int quantity) {
                long cents = priceCents(store, product);
                json.append("{\"product_id\":\"")
                        .append(productId(store, product))
                        .append("\",\"name\":\"")
                        .append(productName(product))
                        .append("\",\"quantity\":")
                        .append(quantity)
                        .append(",\"price\":\"")
                        .append(cents / 100)
                        .append('.');
                long fraction = cents % 100;
                json.append(fraction < 10 ? "0" : "").append(fraction).append("\"}");
            }

            private void begin(String type, String page) {
                json.setLength(0);
                json.append("{\"event_id\":\"");
                uuid(json, random.nextLong(), random.nextLong());
                json.append("\",\"type\":\"").append(type);
                json.append("\",\"store_id\":\"shop-").append(store + 1);
                json.append("\",\"event_time\":\"");
                long jittered = time + (long) ((noise.nextDouble() * 2 - 1) * JITTER_MILLIS);
                json.append(Instant.ofEpochMilli(jittered));
                json.append('"');
                if (cartId != null) {
                    json.append(",\"cart_id\":\"").append(cartId).append('"');
                }
                if (customerId != null) {
                    json.append(",\"customer_id\":\"").append(customerId).append('"');
                }
                json.append(",\"anonymous_id\":\"").append(anonymousId);
                json.append("\",\"session_id\":\"").append(sessionId).append('"');
                json.append(",\"page\":\"https://shop-")
                        .append(store + 1)
                        .append(".example.com")
                        .append(page)
                        .append('"');
                json.append(",\"user_agent\":\"").append(userAgent).append('"');
            }

            private void end(Mark mark) {
                json.append("}\n");
                due.add(
                        new Line(
                                time,
                                planned++,
                                json.toString().getBytes(StandardCharsets.UTF_8),
                                mark,
                                store));
            }
        }
    }

    /** Odd stores send their cart id, even ones leave the cart to be keyed by the shopper. */
    static boolean storeSendsCartId(int store) {
        return store % 2 == 0;
    }

    static String currency(int store) {
        return CURRENCIES[store % CURRENCIES.length];
    }

    static String productId(int store, int product) {
        return "sku-" + (store + 1) + "-" + (10_000 + product);
    }

    static String productName(int product) {
        return PRODUCT_WORDS[product % PRODUCT_WORDS.length]
                + " "
                + PRODUCT_NOUNS[(product / PRODUCT_WORDS.length) % PRODUCT_NOUNS.length];
    }

    /** A price between 4.90 and about 150, the same for a product every time. */
    static long priceCents(int store, int product) {
        long h = (store * 1_000_003L + product) * 0x9E3779B97F4A7C15L;
        return 490 + Math.floorMod(h >>> 20, 14_600) / 10 * 10;
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static String hex(long bits, int digits) {
        char[] out = new char[digits];
        for (int i = digits - 1; i >= 0; i--) {
            out[i] = HEX[(int) (bits & 0xF)];
            bits >>>= 4;
        }
        return new String(out);
    }

    /** A version-4 UUID from the seeded generator's bits, so ids repeat with the seed. */
    private static void uuid(StringBuilder out, long high, long low) {
        high = (high & ~0xF000L) | 0x4000L;
        low = (low & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        String h = hex(high, 16);
        String l = hex(low, 16);
        out.append(h, 0, 8).append('-').append(h, 8, 12).append('-').append(h, 12, 16);
        out.append('-').append(l, 0, 4).append('-').append(l, 4, 16);
    }
}

package io.cartrecovery.testing;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.Events.event;
import static io.cartrecovery.testing.Events.purchase;

import io.cartrecovery.events.EventType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A seeded day of shopping for the determinism tests (issue 12, item 5): 80 carts over eight hours,
 * with and without profiles, checkouts, purchases inside and after the gap, bursts of events
 * seconds apart, two broken lines, and an agents roster.
 */
public final class SeededDay {
    public static final long MINUTE = 60_000;

    /** An event line at its event time. */
    public record Timed(long time, String line) {}

    /** The day's events in time order. */
    public final List<Timed> events = new ArrayList<>();

    /** The known customers' profiles (two in three customers). */
    public final List<String> profiles = new ArrayList<>();

    public SeededDay(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 80; i++) {
            String customer = "c" + i;
            boolean known = i % 3 != 0;
            if (known) {
                profiles.add(profile(customer, i % 2 == 0 ? "es-ES" : "en-GB"));
            }
            long start = random.nextInt(8 * 60) * MINUTE + random.nextInt(60_000);
            long at = start;
            int items = 1 + random.nextInt(3);
            for (int k = 0; k < items; k++) {
                Events.Builder addEvent =
                        add("p" + random.nextInt(20), 1 + random.nextInt(2), price(random));
                emit(known ? addEvent.customer(customer) : addEvent.visitor("v" + i), at);
                // Bursts: the next event a second or two later, within the bound.
                at += random.nextBoolean() ? 1_000 + random.nextInt(2_000) : 60_000;
            }
            if (known && random.nextInt(3) == 0) {
                emit(event(EventType.SHIPPING_INFO).customer(customer).shipping("7.90"), at);
                at += 2_000;
            }
            int fate = random.nextInt(4);
            if (fate == 0) {
                Events.Builder buy = purchase().orderId("o" + i);
                emit(known ? buy.customer(customer) : buy.visitor("v" + i), at + 120_000);
            } else if (fate == 1) {
                Events.Builder buy = purchase().orderId("o" + i);
                emit(known ? buy.customer(customer) : buy.visitor("v" + i), at + 45 * MINUTE);
            }
        }
        events.sort(Comparator.comparingLong(Timed::time));
    }

    /** The lines of the day, with two broken ones among them. */
    public static List<String> lines(List<Timed> timed) {
        List<String> lines = new ArrayList<>(timed.stream().map(Timed::line).toList());
        lines.add(lines.size() / 3, "{\"type\":\"add_to_cart\",");
        lines.add(2 * lines.size() / 3, "not json at all");
        return lines;
    }

    /**
     * Neighbours less than {@code boundMillis} apart swapped at random: an order the live pipeline
     * could see from a producer that retries.
     */
    public static List<Timed> permutedWithinTheBound(
            List<Timed> ordered, long boundMillis, Random random) {
        List<Timed> permuted = new ArrayList<>(ordered);
        for (int i = 0; i + 1 < permuted.size(); i++) {
            Timed a = permuted.get(i);
            Timed b = permuted.get(i + 1);
            if (Math.abs(a.time() - b.time()) < boundMillis && random.nextBoolean()) {
                permuted.set(i, b);
                permuted.set(i + 1, a);
                i++;
            }
        }
        return permuted;
    }

    /** Two agents: ana for shop-1 in Madrid's Thursday hours, bob for every store all Thursday. */
    public static List<String> agents() {
        return List.of(
                "{\"agent_id\":\"ana\",\"stores\":[\"shop-1\"],\"languages\":[\"es\",\"en\"],"
                        + "\"time_zone\":\"Europe/Madrid\",\"shift\":{\"thu\":\"09:00-18:00\"},"
                        + "\"max_open_tasks\":2,\"max_tasks_per_day\":20}",
                "{\"agent_id\":\"bob\",\"stores\":\"*\",\"languages\":[\"en\"],"
                        + "\"time_zone\":\"UTC\",\"shift\":{\"thu\":\"00:00-24:00\"},"
                        + "\"max_open_tasks\":3,\"max_tasks_per_day\":50}");
    }

    private void emit(Events.Builder builder, long offsetMillis) {
        long time = Events.T0.toEpochMilli() + offsetMillis;
        events.add(new Timed(time, builder.at(time).json()));
    }

    private static String price(Random random) {
        return (5 + random.nextInt(200)) + "." + (10 + random.nextInt(90));
    }

    private static String profile(String customer, String language) {
        return "{\"store_id\":\"shop-1\",\"customer_id\":\""
                + customer
                + "\",\"order_count\":3,\"lifetime_value\":\"400.00\",\"name\":\"Test Person\","
                + "\"phone\":\"+34612345678\",\"language\":\""
                + language
                + "\",\"consent\":{\"call\":{\"granted\":true}}}";
    }
}

package io.cartrecovery.demo;

import io.cartrecovery.events.ContactDetails;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * One simulated store: what it sells, in which currency, what shipping costs and whether it sends
 * its own cart ids.
 *
 * @param id {@code shop-N}
 * @param region currency and the look of its customers' contact details
 * @param catalogue the products, with exact prices in the store's currency
 * @param sendsCartId whether events carry {@code cart_id}; stores without one are keyed by customer
 *     or visitor, so both ways of identifying carts (docs/clickstream.md) get traffic
 * @param trafficWeight relative share of new visits
 */
record StoreProfile(
        String id,
        Region region,
        List<Product> catalogue,
        boolean sendsCartId,
        double trafficWeight) {

    record Product(String id, String name, BigDecimal price) {}

    /**
     * Store {@code shop-number}: regions and catalogues rotate, odd stores send cart ids, and
     * traffic falls off as 1/number, so shop-1 is the big one as in any real set of tenants.
     */
    static StoreProfile number(int number) {
        return new StoreProfile(
                "shop-" + number,
                Region.values()[(number - 1) % Region.values().length],
                CATALOGUES.get((number - 1) % CATALOGUES.size()),
                number % 2 == 1,
                1.0 / number);
    }

    String currency() {
        return region.currency;
    }

    /** Standard shipping, free from the region's threshold on, as most shops advertise it. */
    BigDecimal shippingFor(BigDecimal subtotal) {
        return subtotal.compareTo(region.freeShippingFrom) >= 0
                ? BigDecimal.ZERO.setScale(2)
                : region.standardShipping;
    }

    /**
     * A shipping cost far above the advertised one: bulky-item, express-only or remote surcharge.
     */
    BigDecimal shockingShipping(Random random) {
        return region.shockShipping.get(random.nextInt(region.shockShipping.size()));
    }

    /**
     * Currency, shipping prices and fake but well-formed contact details of one market. A demo may
     * feed a real dialer, so phone numbers come from the ranges regulators keep free for films and
     * books (DE: Bundesnetzagentur drama numbers, US: 555-01xx, UK: 07700 900xxx) and emails are at
     * example.com.
     */
    enum Region {
        DE(
                "de",
                "Europe/Berlin",
                "EUR",
                "4.90",
                "50.00",
                List.of("14.90", "19.90", "24.90", "29.90"),
                List.of("Anna", "Lukas", "Marie", "Felix", "Sophie", "Jonas", "Lena", "Paul"),
                List.of("Schmidt", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann", "Koch")) {
            @Override
            String phone(Random random) {
                // Berlin, Frankfurt, Hamburg, Cologne, Munich.
                String[] blocks = {"3023125", "6990009", "4066969", "2214710", "8999998"};
                return "+49" + blocks[random.nextInt(blocks.length)] + digits(random, 3);
            }
        },
        US(
                "en",
                "America/New_York",
                "USD",
                "5.99",
                "75.00",
                List.of("18.99", "24.99", "34.99"),
                List.of("Emma", "Liam", "Olivia", "Noah", "Ava", "James", "Sophia", "Ethan"),
                List.of("Smith", "Johnson", "Brown", "Garcia", "Miller", "Davis", "Wilson")) {
            @Override
            String phone(Random random) {
                String[] areas = {"212", "312", "415", "617", "206"};
                return "+1" + areas[random.nextInt(areas.length)] + "55501" + digits(random, 2);
            }
        },
        GB(
                "en",
                "Europe/London",
                "GBP",
                "3.99",
                "40.00",
                List.of("12.99", "17.99", "24.99"),
                List.of("Oliver", "Amelia", "George", "Isla", "Harry", "Freya", "Jack", "Lily"),
                List.of("Jones", "Williams", "Evans", "Roberts", "Walker", "Wright", "Hughes")) {
            @Override
            String phone(Random random) {
                return "+447700900" + digits(random, 3);
            }
        };

        /** The language most of the market's customers choose. */
        final String language;

        /** The zone of the market's biggest cities; a customer's own may differ. */
        final String timeZone;

        final String currency;
        final BigDecimal standardShipping;
        final BigDecimal freeShippingFrom;
        final List<BigDecimal> shockShipping;
        private final List<String> firstNames;
        private final List<String> lastNames;

        Region(
                String language,
                String timeZone,
                String currency,
                String standardShipping,
                String freeShippingFrom,
                List<String> shockShipping,
                List<String> firstNames,
                List<String> lastNames) {
            this.language = language;
            this.timeZone = timeZone;
            this.currency = currency;
            this.standardShipping = new BigDecimal(standardShipping);
            this.freeShippingFrom = new BigDecimal(freeShippingFrom);
            this.shockShipping = shockShipping.stream().map(BigDecimal::new).toList();
            this.firstNames = firstNames;
            this.lastNames = lastNames;
        }

        /** An E.164 mobile number of the region. */
        abstract String phone(Random random);

        ContactDetails person(Random random) {
            String first = firstNames.get(random.nextInt(firstNames.size()));
            String last = lastNames.get(random.nextInt(lastNames.size()));
            String email =
                    (first + "." + last + random.nextInt(100)).toLowerCase(Locale.ROOT)
                            + "@example.com";
            // About one shopper in six leaves no phone number, as checkout forms often allow.
            String phone = random.nextInt(6) == 0 ? null : phone(random);
            return new ContactDetails(first + " " + last, email, phone);
        }

        private static String digits(Random random, int count) {
            StringBuilder digits = new StringBuilder(count);
            for (int i = 0; i < count; i++) {
                digits.append((char) ('0' + random.nextInt(10)));
            }
            return digits.toString();
        }
    }

    private static final List<List<Product>> CATALOGUES =
            List.of(
                    catalogue(
                            "out",
                            """
                            Trail running shoe          | 89.90
                            Merino hiking socks         | 14.95
                            Rain jacket                 | 129.00
                            Hiking backpack 30 L        | 74.50
                            Insulated water bottle      | 24.99
                            Trekking poles (pair)       | 49.90
                            Headlamp                    | 34.95
                            Fleece beanie               | 19.90
                            """),
                    catalogue(
                            "home",
                            """
                            Pour-over coffee set        | 39.90
                            French press 1 L            | 29.95
                            Linen napkins (set of 4)    | 24.00
                            Cast iron skillet 26 cm     | 54.90
                            Espresso cups (set of 2)    | 18.50
                            Oak serving board           | 32.00
                            Scented candle              | 16.90
                            Chef's knife 20 cm          | 79.00
                            """),
                    catalogue(
                            "tech",
                            """
                            Wireless earbuds            | 79.99
                            USB-C charger 65 W          | 39.99
                            Bluetooth speaker           | 59.00
                            Phone case                  | 19.99
                            Noise-cancelling headphones | 249.00
                            Power bank 10000 mAh        | 29.99
                            Smartwatch strap            | 24.90
                            HDMI cable 2 m              | 9.99
                            """),
                    catalogue(
                            "book",
                            """
                            The Long Trail (hardcover)  | 24.00
                            Cooking with Fire           | 32.50
                            Pocket Atlas                | 12.99
                            Sourdough Basics            | 19.95
                            A Year of Birds             | 28.00
                            Night Sky Guide             | 16.50
                            Notebook, dotted A5         | 8.90
                            Fountain pen                | 45.00
                            """));

    /** Lines of name and price; product ids are the prefix and a running number. */
    private static List<Product> catalogue(String prefix, String namesAndPrices) {
        List<String> lines = namesAndPrices.lines().toList();
        Product[] products = new Product[lines.size()];
        for (int i = 0; i < products.length; i++) {
            String[] nameAndPrice = lines.get(i).split("\\|");
            products[i] =
                    new Product(
                            "sku-" + prefix + "-" + (101 + i),
                            nameAndPrice[0].strip(),
                            new BigDecimal(nameAndPrice[1].strip()));
        }
        return List.of(products);
    }
}

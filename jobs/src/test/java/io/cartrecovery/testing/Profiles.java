package io.cartrecovery.testing;

import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.ReasonHint;
import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.Stage;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.profiles.Consent;
import io.cartrecovery.profiles.CustomerProfile;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Customer profiles and abandoned carts for enrichment and priority tests. */
public final class Profiles {
    private Profiles() {}

    public static final long T0 = 1_750_000_000_000L;
    public static final long ONE_HOUR = 3_600_000L;

    /** A profile with contact details for every channel and consent for the given ones. */
    public static CustomerProfile consenting(String customerId, Channel... channels) {
        Map<Channel, Consent> consent = new EnumMap<>(Channel.class);
        for (Channel channel : channels) {
            consent.put(channel, new Consent(true, T0 - 30 * 24 * ONE_HOUR));
        }
        return new CustomerProfile(
                "shop-1",
                customerId,
                "Ana Pérez",
                "+34612345678",
                "ana@example.com",
                "es",
                null,
                consent,
                false,
                6,
                new BigDecimal("1500.00"),
                T0 - 40 * 24 * ONE_HOUR);
    }

    public static CustomerProfile withoutPhone(CustomerProfile p) {
        return new CustomerProfile(
                p.storeId(),
                p.customerId(),
                p.name(),
                null,
                p.email(),
                p.language(),
                p.timeZone(),
                p.consent(),
                p.doNotContact(),
                p.orderCount(),
                p.lifetimeValue(),
                p.lastOrderAt());
    }

    public static CustomerProfile doNotContact(CustomerProfile p) {
        return new CustomerProfile(
                p.storeId(),
                p.customerId(),
                p.name(),
                p.phone(),
                p.email(),
                p.language(),
                p.timeZone(),
                p.consent(),
                true,
                p.orderCount(),
                p.lifetimeValue(),
                p.lastOrderAt());
    }

    /** A cart of {@code lines} lines worth {@code value} in total, abandoned at T0. */
    public static AbandonedCart cart(
            String customerId, String value, int lines, Stage stage, ReasonHint reason) {
        BigDecimal total = new BigDecimal(value);
        List<CartLine> items = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            BigDecimal price = i == 0 ? total : BigDecimal.ZERO;
            items.add(new CartLine("p" + i, "Product " + i, 1, price));
        }
        return new AbandonedCart(
                "cart-" + customerId,
                "shop-1",
                customerId,
                customerId == null ? "anon-1" : null,
                items,
                total,
                "EUR",
                stage,
                reason,
                null,
                T0 - 20 * 60_000L,
                T0,
                600_000L,
                T0 + 600_000L,
                null);
    }
}

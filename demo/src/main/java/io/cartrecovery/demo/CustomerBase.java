package io.cartrecovery.demo;

import io.cartrecovery.priority.Channel;
import io.cartrecovery.profiles.Consent;
import io.cartrecovery.profiles.CustomerProfile;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

/**
 * The CRM of the simulated stores: one profile per customer, the same for the same seed however
 * often it is asked, so a restarted demo publishes the profiles it published before (the topic is
 * compacted; repeats are harmless).
 *
 * <p>The shares are those a store with an opt-in form sees: most customers allow e-mail, about half
 * allow a call or WhatsApp, few allow SMS, and a small share asked never to be contacted. Some
 * profiles leave the time zone out, so the job derives it from the phone number or falls back to
 * the store's zone.
 */
public final class CustomerBase {
    private static final long DAY = 24 * 3600 * 1000L;

    private final long seed;

    public CustomerBase(long seed) {
        this.seed = seed;
    }

    /** The profile of a simulated store's customer; {@code now} anchors consent and order times. */
    public CustomerProfile profile(String storeId, String customerId, long now) {
        StoreProfile store = StoreProfile.number(storeNumber(storeId));
        Random random = new Random(seed * 31 + (storeId + "/" + customerId).hashCode());
        var person = store.region().person(random);
        Map<Channel, Consent> consent = new EnumMap<>(Channel.class);
        long consentAt = now - (30 + random.nextInt(700)) * DAY;
        consent(consent, Channel.EMAIL, random.nextDouble() < 0.8, consentAt);
        consent(consent, Channel.CALL, random.nextDouble() < 0.55, consentAt);
        consent(consent, Channel.WHATSAPP, random.nextDouble() < 0.5, consentAt);
        consent(consent, Channel.SMS, random.nextDouble() < 0.25, consentAt);
        int orders = random.nextDouble() < 0.4 ? 0 : 1 + random.nextInt(12);
        BigDecimal lifetimeValue =
                BigDecimal.valueOf(orders * (20 + random.nextInt(180)) * 100L + random.nextInt(100))
                        .movePointLeft(2)
                        .setScale(2, RoundingMode.UNNECESSARY);
        return new CustomerProfile(
                storeId,
                customerId,
                person.name(),
                person.phone(),
                person.email(),
                store.region().language,
                random.nextDouble() < 0.7 ? store.region().timeZone : null,
                consent,
                random.nextDouble() < 0.03,
                orders,
                orders == 0 ? null : lifetimeValue,
                orders == 0 ? null : now - (1 + random.nextInt(300)) * DAY);
    }

    private static void consent(
            Map<Channel, Consent> consent, Channel channel, boolean granted, long at) {
        if (granted) {
            consent.put(channel, new Consent(true, at));
        }
    }

    private static int storeNumber(String storeId) {
        try {
            return Integer.parseInt(storeId.substring(storeId.indexOf('-') + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a simulated store: " + storeId, e);
        }
    }
}

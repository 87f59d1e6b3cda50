package io.cartrecovery.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.config.ScriptOptions;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.ReasonHint;
import io.cartrecovery.detection.SessionStats;
import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.Stage;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.profiles.CustomerProfile;
import io.cartrecovery.profiles.CustomerProfileJson;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class CustomerBaseTest {
    private static final long NOW = 1_790_000_000_000L;

    @Test
    void sameSeedSameProfileAndEveryProfileSurvivesTheWireFormat() throws Exception {
        CustomerBase base = new CustomerBase(3);
        for (int i = 0; i < 500; i++) {
            String store = "shop-" + (1 + i % 3);
            CustomerProfile profile = base.profile(store, "cust-" + i, NOW);
            assertThat(new CustomerBase(3).profile(store, "cust-" + i, NOW)).isEqualTo(profile);
            assertThat(CustomerProfileJson.parse(CustomerProfileJson.toJson(profile)))
                    .isEqualTo(profile);
        }
    }

    @Test
    void consentSharesAreThoseOfAnOptInForm() {
        CustomerBase base = new CustomerBase(9);
        List<CustomerProfile> profiles = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            profiles.add(base.profile("shop-" + (1 + i % 3), "cust-" + i, NOW));
        }
        assertThat(share(profiles, p -> p.consents(Channel.EMAIL))).isBetween(0.76, 0.84);
        assertThat(share(profiles, p -> p.consents(Channel.CALL))).isBetween(0.51, 0.59);
        assertThat(share(profiles, p -> p.consents(Channel.SMS))).isBetween(0.21, 0.29);
        assertThat(share(profiles, CustomerProfile::doNotContact)).isBetween(0.015, 0.045);
        assertThat(share(profiles, p -> p.timeZone() == null)).isBetween(0.25, 0.35);
        assertThat(profiles).extracting(CustomerProfile::language).contains("de", "en");
    }

    private static double share(List<CustomerProfile> profiles, Predicate<CustomerProfile> test) {
        return profiles.stream().filter(test).count() / (double) profiles.size();
    }

    @Test
    void demoCustomersGetTextsInTheirOwnLanguage() {
        CustomerBase base = new CustomerBase(3);
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < 300; i++) {
            CustomerProfile profile = base.profile("shop-" + (1 + i % 3), "cust-" + i, NOW);
            if (profile.language() == null) {
                continue;
            }
            String language = Locale.forLanguageTag(profile.language()).getLanguage();
            seen.add(language);
            assertThat(
                            ScriptOptions.defaultScripts()
                                    .render(cart(), profile, Channel.CALL, 1)
                                    .language())
                    .isEqualTo(language);
        }
        // German customers no longer fall back to English.
        assertThat(seen).contains("de", "en");
    }

    /** A cart of shop-1 with one line, abandoned at the shipping stage. */
    private static AbandonedCart cart() {
        return new AbandonedCart(
                "c/1",
                "shop-1",
                "ana",
                null,
                List.of(new CartLine("p1", "Trail shoe", 1, new BigDecimal("199.90"))),
                new BigDecimal("199.90"),
                "EUR",
                Stage.SHIPPING,
                ReasonHint.UNKNOWN,
                new BigDecimal("4.90"),
                NOW - 600_000,
                NOW,
                600_000,
                NOW,
                null,
                new SessionStats(5, 3, 600_000, 2, 1, 1),
                null);
    }
}

package io.cartrecovery.scripts;

import static io.cartrecovery.scripts.ScriptsTest.fullCart;
import static io.cartrecovery.scripts.ScriptsTest.inStore;
import static io.cartrecovery.scripts.ScriptsTest.scripts;
import static io.cartrecovery.testing.Profiles.ONE_HOUR;
import static io.cartrecovery.testing.Profiles.T0;
import static io.cartrecovery.testing.Profiles.consenting;
import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.config.ScriptOptions;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.ReasonHint;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.profiles.CustomerProfile;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IncentiveRuleTest {
    private static final long DAY = 24 * ONE_HOUR;
    private static final IncentiveRule RULE =
            new IncentiveRule(10, new BigDecimal("100"), Duration.ofDays(30));

    /** The full cart (224.80 EUR, abandoned at T0) at another value. */
    private static AbandonedCart worth(String value) {
        AbandonedCart c = fullCart(ReasonHint.UNKNOWN);
        return new AbandonedCart(
                c.cartId(),
                c.storeId(),
                c.customerId(),
                c.anonymousId(),
                c.items(),
                new BigDecimal(value),
                c.currency(),
                c.stage(),
                c.reason(),
                c.shippingCost(),
                c.openedAt(),
                c.abandonedAt(),
                c.gapMillis(),
                c.detectedAt(),
                null,
                c.session(),
                null);
    }

    private static CustomerProfile lastOrdered(Long at) {
        CustomerProfile p = consenting("ana", Channel.CALL);
        return new CustomerProfile(
                p.storeId(),
                p.customerId(),
                p.name(),
                p.phone(),
                p.email(),
                p.language(),
                p.timeZone(),
                p.consent(),
                p.doNotContact(),
                p.orderCount(),
                p.lifetimeValue(),
                at);
    }

    @Test
    void offeredFromTheMinimumCartValueUp() {
        CustomerProfile p = lastOrdered(T0 - 40 * DAY);
        assertThat(RULE.percentFor(worth("99.99"), p)).isZero();
        assertThat(RULE.percentFor(worth("100.00"), p)).isEqualTo(10);
        assertThat(RULE.percentFor(worth("500"), p)).isEqualTo(10);
    }

    @Test
    void neverToACustomerWhoJustPaidFullPrice() {
        assertThat(RULE.percentFor(worth("200"), lastOrdered(T0 - 29 * DAY))).isZero();
        assertThat(RULE.percentFor(worth("200"), lastOrdered(T0 - 30 * DAY))).isZero();
        assertThat(RULE.percentFor(worth("200"), lastOrdered(T0 - 30 * DAY - 1))).isEqualTo(10);
        // Ordered after abandoning this cart: just paid too.
        assertThat(RULE.percentFor(worth("200"), lastOrdered(T0 + ONE_HOUR))).isZero();
        assertThat(RULE.percentFor(worth("200"), lastOrdered(null))).isEqualTo(10);
    }

    @Test
    void neverWithoutAProfileACurrencyOrARule() {
        assertThat(RULE.percentFor(worth("200"), null)).isZero();
        AbandonedCart noCurrency = ScriptsTest.emptyCart();
        assertThat(RULE.percentFor(noCurrency, lastOrdered(null))).isZero();
        assertThat(IncentiveRule.NONE.percentFor(worth("200"), lastOrdered(null))).isZero();
    }

    @Test
    void eachStoreHasItsOwnRuleAndStarCoversTheRest() {
        Scripts scripts =
                scripts(
                        Map.of(
                                "scripts.incentive.max-percent", "shop-1:15,*:5,shop-3:0",
                                "scripts.incentive.min-cart-value", "shop-1:300",
                                "scripts.incentive.recent-order", "shop-1:7 d"));

        assertThat(scripts.incentiveRule("shop-1"))
                .isEqualTo(new IncentiveRule(15, new BigDecimal("300"), Duration.ofDays(7)));
        // min-cart-value and recent-order fall back to their defaults for '*'.
        assertThat(scripts.incentiveRule("shop-2"))
                .isEqualTo(new IncentiveRule(5, new BigDecimal("100"), Duration.ofDays(30)));
        assertThat(scripts.incentiveRule("shop-3")).isEqualTo(IncentiveRule.NONE);
        assertThat(ScriptOptions.defaultScripts().incentiveRule("shop-1"))
                .isEqualTo(IncentiveRule.NONE);
    }

    @Test
    void theCallScriptOffersItOnlyWhenTheRuleAllows() {
        Scripts scripts = scripts(Map.of("scripts.incentive.max-percent", "shop-1:10"));
        CustomerProfile longAgo = lastOrdered(T0 - 90 * DAY);
        CustomerProfile lastWeek = lastOrdered(T0 - 7 * DAY);

        assertThat(steps(scripts.render(worth("224.80"), longAgo, Channel.CALL, 1)))
                .contains("incentive");
        assertThat(
                        ScriptsTest.text(
                                scripts.render(worth("224.80"), longAgo, Channel.CALL, 1),
                                "incentive"))
                .contains("10 %");
        assertThat(steps(scripts.render(worth("224.80"), lastWeek, Channel.CALL, 1)))
                .doesNotContain("incentive");
        assertThat(steps(scripts.render(worth("50.00"), longAgo, Channel.CALL, 1)))
                .doesNotContain("incentive");
        assertThat(
                        steps(
                                scripts.render(
                                        inStore(worth("224.80"), "shop-2"),
                                        longAgo,
                                        Channel.CALL,
                                        1)))
                .doesNotContain("incentive");
    }

    private static java.util.List<String> steps(ScriptOrMessage content) {
        return content.script().stream().map(ScriptStep::step).toList();
    }
}

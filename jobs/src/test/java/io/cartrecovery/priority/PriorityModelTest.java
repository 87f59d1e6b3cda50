package io.cartrecovery.priority;

import static io.cartrecovery.testing.Profiles.ONE_HOUR;
import static io.cartrecovery.testing.Profiles.T0;
import static io.cartrecovery.testing.Profiles.cart;
import static io.cartrecovery.testing.Profiles.consenting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrecovery.config.PriorityOptions;
import io.cartrecovery.detection.ReasonHint;
import io.cartrecovery.events.Stage;
import io.cartrecovery.settings.ConfigException;
import java.math.BigDecimal;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class PriorityModelTest {
    private final PriorityModel model = PriorityOptions.model(new Configuration());

    @Test
    void scoreIsTheSumOfItsReasonCodes() {
        Priority p =
                model.score(
                        cart("c1", "150.00", 2, Stage.PAYMENT, ReasonHint.PAYMENT_PROBLEM),
                        consenting("c1"),
                        T0);

        // base 10, value 150/300 of 30 = 15, orders 6>=5: 15, ltv 1500>=1000: 10,
        // items 2/5 of 5 = 2, payment 15, payment_problem 10, fresh: 15
        assertThat(p.reasons())
                .containsExactly(
                        new ReasonCode("cart_value", 15),
                        new ReasonCode("order_count", 15),
                        new ReasonCode("stage_payment", 15),
                        new ReasonCode("recency", 15),
                        new ReasonCode("base", 10),
                        new ReasonCode("lifetime_value", 10),
                        new ReasonCode("reason_payment_problem", 10),
                        new ReasonCode("items", 2));
        assertThat(p.score()).isEqualTo(92);
        // 0.02 + 0.38 * 0.92 = 0.3696; x 150.00 = 55.44
        assertThat(p.probability()).isEqualByComparingTo("0.3696");
        assertThat(p.expectedValue()).isEqualTo(new BigDecimal("55.44"));
        assertThat(p.tier()).isEqualTo(Tier.HIGH);
    }

    @Test
    void anonymousCartEarnsNoHistoryPointsAndInputsThatAddNothingAreNotListed() {
        Priority p = model.score(cart(null, "20.00", 1, Stage.CART, ReasonHint.UNKNOWN), null, T0);

        assertThat(p.reasons())
                .extracting(ReasonCode::code)
                .containsExactlyInAnyOrder("base", "cart_value", "items", "recency");
        assertThat(p.score()).isEqualTo(10 + 2 + 1 + 15);
        assertThat(p.tier()).isEqualTo(Tier.LOW);
    }

    @Test
    void recencyFadesToNothingAtTheHorizon() {
        var c = cart("c1", "100.00", 1, Stage.CART, ReasonHint.UNKNOWN);

        assertThat(points(model.score(c, null, T0 + 12 * ONE_HOUR), "recency")).isEqualTo(8);
        assertThat(points(model.score(c, null, T0 + 24 * ONE_HOUR), "recency")).isZero();
        assertThat(points(model.score(c, null, T0 + 48 * ONE_HOUR), "recency")).isZero();
    }

    @Test
    void scoreIsCappedAt100AndExpectedValueIsExact() {
        Configuration config = new Configuration();
        config.set(io.cartrecovery.config.PriorityOptions.BASE, 90);

        Priority p =
                PriorityOptions.model(config)
                        .score(
                                cart("c1", "999.99", 5, Stage.PAYMENT, ReasonHint.PAYMENT_PROBLEM),
                                consenting("c1"),
                                T0);

        assertThat(p.score()).isEqualTo(100);
        assertThat(p.probability()).isEqualByComparingTo("0.40");
        assertThat(p.expectedValue()).isEqualTo(new BigDecimal("400.00"));
    }

    @Test
    void tiersFollowTheConfiguredThresholds() {
        assertThat(model.tier(new BigDecimal("40.00"))).isEqualTo(Tier.HIGH);
        assertThat(model.tier(new BigDecimal("39.99"))).isEqualTo(Tier.MIDDLE);
        assertThat(model.tier(new BigDecimal("8.00"))).isEqualTo(Tier.MIDDLE);
        assertThat(model.tier(new BigDecimal("7.99"))).isEqualTo(Tier.LOW);
    }

    @Test
    void weightsComeFromConfiguration() {
        Configuration config = new Configuration();
        config.set(io.cartrecovery.config.PriorityOptions.STAGE_POINTS, Map.of("checkout", "40"));

        Priority p =
                PriorityOptions.model(config)
                        .score(cart(null, "0", 1, Stage.CHECKOUT, ReasonHint.UNKNOWN), null, T0);

        assertThat(points(p, "stage_checkout")).isEqualTo(40);
        assertThat(p.expectedValue()).isEqualTo(new BigDecimal("0.00"));
    }

    @Test
    void badWeightsAreRejectedByName() {
        Configuration unknownStage = new Configuration();
        unknownStage.set(
                io.cartrecovery.config.PriorityOptions.STAGE_POINTS, Map.of("basket", "5"));
        Configuration swapped = new Configuration();
        swapped.set(io.cartrecovery.config.PriorityOptions.TIER_MIDDLE, 100.0);

        assertThatThrownBy(() -> PriorityOptions.model(unknownStage))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("priority.stage-points: unknown key 'basket'");
        assertThatThrownBy(() -> PriorityOptions.model(swapped))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("priority.tier.middle must not exceed priority.tier.high");
    }

    private static int points(Priority p, String code) {
        return p.reasons().stream()
                .filter(r -> r.code().equals(code))
                .mapToInt(ReasonCode::points)
                .sum();
    }

    @Test
    void engagementAddsOneReasonCodePerBehaviour() {
        var session = new io.cartrecovery.detection.SessionStats(5, 10, 30 * 60_000L, 1, 1, 3);
        Priority p =
                model.score(
                        cart("c1", "20.00", 1, Stage.CART, ReasonHint.UNKNOWN).withSession(session),
                        null,
                        T0);

        // views 5/10 of 4 = 2; products 10 >= 5: 4; 30 min >= 15 min: 4; steps 1/3 of 3 = 1;
        // errors 1/2 of 5 = 3 (2.5 rounds half up); previous 3 >= 3: 3
        assertThat(p.reasons())
                .contains(
                        new ReasonCode("views", 2),
                        new ReasonCode("products_viewed", 4),
                        new ReasonCode("time_on_site", 4),
                        new ReasonCode("checkout_steps", 1),
                        new ReasonCode("errors", 3),
                        new ReasonCode("previous_abandonments", 3));
        Priority without =
                model.score(cart("c1", "20.00", 1, Stage.CART, ReasonHint.UNKNOWN), null, T0);
        assertThat(p.score() - without.score()).isEqualTo(2 + 4 + 4 + 1 + 3 + 3);
    }

    @Test
    void engagementWeightsComeFromSettings() {
        Configuration config = new Configuration();
        config.set(io.cartrecovery.config.PriorityOptions.VIEWS_POINTS, 0);
        config.set(io.cartrecovery.config.PriorityOptions.ERRORS_POINTS, 20);
        var session = new io.cartrecovery.detection.SessionStats(50, 0, 0, 0, 4, 0);

        Priority p =
                PriorityOptions.model(config)
                        .score(
                                cart("c1", "20.00", 1, Stage.CART, ReasonHint.UNKNOWN)
                                        .withSession(session),
                                null,
                                T0);

        assertThat(p.reasons()).extracting(ReasonCode::code).doesNotContain("views");
        assertThat(p.reasons()).contains(new ReasonCode("errors", 20));
        Configuration bad = new Configuration();
        bad.setString("priority.time-on-site.full", "0 s");
        assertThatThrownBy(() -> PriorityOptions.model(bad))
                .isInstanceOf(ConfigException.class)
                .hasMessage("priority.time-on-site.full must be positive");
    }
}

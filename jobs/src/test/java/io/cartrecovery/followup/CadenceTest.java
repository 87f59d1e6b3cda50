package io.cartrecovery.followup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrecovery.config.ConfigException;
import io.cartrecovery.config.Configs;
import io.cartrecovery.priority.Channel;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CadenceTest {
    private static final long HOUR = 3_600_000L;

    @Test
    void defaultsAreFiveAttemptsOverSeventyHours() {
        Cadence cadence = Cadence.from(Configs.load(null, Map.of()));
        assertThat(cadence.steps())
                .containsExactly(
                        new Step(0, Channel.CALL),
                        new Step(4 * HOUR, Channel.WHATSAPP),
                        new Step(24 * HOUR, Channel.CALL),
                        new Step(48 * HOUR, Channel.EMAIL),
                        new Step(70 * HOUR, Channel.CALL));
        assertThat(cadence.holdoutShare()).isEqualTo(0.10);
        assertThat(cadence.attributionWindowMillis()).isEqualTo(7 * 24 * HOUR);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "followup.steps|4h:call|followup.steps: the first step must be at 0m",
                "followup.steps|0m:call,2h:sms,1h:email|followup.steps: offsets must increase,"
                        + " '1h:email' does not",
                "followup.steps|0m:pigeon|followup.steps: channel 'pigeon' is not one of call,"
                        + " whatsapp, sms, email",
                "followup.steps|0m:call,soon:sms|followup.steps: 'soon:sms' has no valid offset",
                "followup.holdout-share|0.9|followup.holdout-share must be from 0 to 0.5, got 0.9",
                "followup.attribution-window|0s|followup.attribution-window must be positive, got"
                        + " PT0S",
            })
    void badSettingsAreOneLineNamingTheSetting(String key, String value, String message) {
        assertThatThrownBy(() -> Configs.load(null, Map.of(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void holdoutShareIsHeldCloselyAndRaisingItOnlyAddsCarts() {
        long at10 =
                IntStream.range(0, 20_000)
                        .filter(i -> Holdout.heldOut("shop-1", "cart-" + i, 0.10))
                        .count();
        assertThat(at10).isBetween(1_800L, 2_200L);
        IntStream.range(0, 20_000)
                .filter(i -> Holdout.heldOut("shop-1", "cart-" + i, 0.10))
                .forEach(i -> assertThat(Holdout.heldOut("shop-1", "cart-" + i, 0.20)).isTrue());
    }
}

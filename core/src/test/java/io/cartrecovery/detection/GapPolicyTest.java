package io.cartrecovery.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GapPolicyTest {
    @Test
    void smallestAndLargestSpanTheDefaultAndEveryOverride() {
        GapPolicy gaps =
                GapPolicy.of(
                        Duration.ofMinutes(10),
                        Map.of(
                                "shop-1",
                                Duration.ofMinutes(5),
                                "*.payment",
                                Duration.ofMinutes(45),
                                "shop-2.cart",
                                Duration.ofMinutes(20)));

        assertThat(gaps.smallest()).isEqualTo(Duration.ofMinutes(5));
        assertThat(gaps.largest()).isEqualTo(Duration.ofMinutes(45));
        assertThat(GapPolicy.uniform(Duration.ofMinutes(10)).largest())
                .isEqualTo(Duration.ofMinutes(10));
    }
}

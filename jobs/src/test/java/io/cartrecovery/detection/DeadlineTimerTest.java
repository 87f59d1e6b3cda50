package io.cartrecovery.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.detection.DeadlineTimer.OnFire;
import org.junit.jupiter.api.Test;

class DeadlineTimerTest {
    @Test
    void aLaterDeadlineKeepsTheTimerAnEarlierOneNeedsItsOwn() {
        assertThat(DeadlineTimer.needsTimer(0, 100)).isTrue();
        assertThat(DeadlineTimer.needsTimer(100, 160)).isFalse();
        assertThat(DeadlineTimer.needsTimer(100, 60)).isTrue();
    }

    @Test
    void aFiringBeforeTheDeadlineSetsTheTimerAgain() {
        assertThat(DeadlineTimer.onFire(100, 160, 100)).isEqualTo(OnFire.REARM);
        assertThat(DeadlineTimer.onFire(160, 160, 160)).isEqualTo(OnFire.DUE);
        // Held events at 50 fire a timer of their own.
        assertThat(DeadlineTimer.onFire(100, 160, 50)).isEqualTo(OnFire.NOT_MINE);
        assertThat(DeadlineTimer.onFire(0, 0, 50)).isEqualTo(OnFire.NOT_MINE);
    }

    @Test
    void aCartStoredBeforeTheLazyTimerHasItsTimerAtTheDeadline() {
        CartState restored = new CartState();
        restored.deadline = 160;
        assertThat(DeadlineTimer.armedAt(restored)).isEqualTo(160);
        restored.deadlineTimer = 100;
        assertThat(DeadlineTimer.armedAt(restored)).isEqualTo(100);
    }
}

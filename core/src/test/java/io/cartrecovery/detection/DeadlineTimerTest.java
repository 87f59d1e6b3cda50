package io.cartrecovery.detection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeadlineTimerTest {
    @Test
    void somethingDueLaterKeepsTheTimerSomethingEarlierMovesIt() {
        assertThat(DeadlineTimer.needsTimer(0, 100)).isTrue();
        assertThat(DeadlineTimer.needsTimer(100, 160)).isFalse();
        assertThat(DeadlineTimer.needsTimer(100, 100)).isFalse();
        assertThat(DeadlineTimer.needsTimer(100, 60)).isTrue();
    }

    @Test
    void aCartStoredBeforeTheLazyTimerHasItsTimerAtTheDeadline() {
        CartState restored = new CartState();
        restored.deadline = 160;
        assertThat(DeadlineTimer.armedAt(restored)).isEqualTo(160);
        restored.deadlineTimer = 100;
        assertThat(DeadlineTimer.armedAt(restored)).isEqualTo(100);
    }

    @Test
    void aFiredTimerNotSetAgainIsNoneWhateverTheDeadline() {
        CartState state = new CartState();
        state.deadline = 160;
        state.deadlineTimer = DeadlineTimer.field(0);
        assertThat(DeadlineTimer.armedAt(state)).isZero();
        state.deadlineTimer = DeadlineTimer.field(120);
        assertThat(DeadlineTimer.armedAt(state)).isEqualTo(120);
        assertThat(DeadlineTimer.armedAt(new CartState())).isZero();
    }
}

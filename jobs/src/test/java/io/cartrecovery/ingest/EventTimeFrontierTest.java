package io.cartrecovery.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventTimeFrontierTest {
    private static final long MINUTE = Duration.ofMinutes(1).toMillis();
    private static final long STEP = 5 * MINUTE;

    private final EventTimeFrontier frontier = new EventTimeFrontier(STEP);

    @Test
    void eventsInStepsOfUpToTheStepMoveItAsTheLargestTimeSeen() {
        assertThat(frontier.frontier()).isEqualTo(Long.MIN_VALUE);
        frontier.observe(10 * MINUTE, "a");
        frontier.observe(12 * MINUTE, "b");
        frontier.observe(11 * MINUTE, "c");
        frontier.observe(17 * MINUTE, "a");
        assertThat(frontier.frontier()).isEqualTo(17 * MINUTE);
    }

    @Test
    void oneCartFarAheadMovesNothingHoweverManyEventsItSends() {
        frontier.observe(10 * MINUTE, "a");
        for (int i = 0; i < 20; i++) {
            frontier.observe(70 * MINUTE + i, "bad-clock");
            frontier.observe(10 * MINUTE + i, "a");
        }
        assertThat(frontier.frontier()).isEqualTo(10 * MINUTE + 19);
    }

    @Test
    void aJumpIsTakenAtItsSecondCartToTheEarlierOfTheTwo() {
        frontier.observe(10 * MINUTE, "a");
        frontier.observe(600 * MINUTE, "b");
        assertThat(frontier.frontier()).isEqualTo(10 * MINUTE);
        frontier.observe(590 * MINUTE, "c");
        assertThat(frontier.frontier()).isEqualTo(590 * MINUTE);
        frontier.observe(591 * MINUTE, "b");
        assertThat(frontier.frontier()).isEqualTo(591 * MINUTE);
    }

    @Test
    void aBadClockAndARealJumpLandAtTheRealOne() {
        frontier.observe(10 * MINUTE, "a");
        frontier.observe(600 * MINUTE, "bad-clock");
        frontier.observe(40 * MINUTE, "b");
        assertThat(frontier.frontier()).isEqualTo(40 * MINUTE);
    }

    @Test
    void aCandidateTheFrontierReachesByItselfIsForgotten() {
        frontier.observe(10 * MINUTE, "a");
        frontier.observe(20 * MINUTE, "x");
        frontier.observe(14 * MINUTE, "a");
        frontier.observe(18 * MINUTE, "a");
        // "x" at minute 20 is within a step now; a far event of another cart must not pair with it.
        frontier.observe(80 * MINUTE, "y");
        assertThat(frontier.frontier()).isEqualTo(18 * MINUTE);
    }

    @Test
    void theStepMustBePositive() {
        assertThatThrownBy(() -> new EventTimeFrontier(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package io.cartrecovery.profiles;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Profiles carry no event time, and they must never hold the clickstream's event time back: the
 * operators that join them with carts, and everything downstream of those, run event-time timers on
 * the carts' side. A two-input operator follows the smaller of its active inputs' watermarks, and a
 * source without watermarks stays at the beginning of time, so the profiles input declares itself
 * idle for good: the join then follows the carts' event time alone. The agents roster is reference
 * data of the same kind and uses {@link #referenceData()} too.
 *
 * <p>Idle rather than at the end of time: when the clickstream goes idle too, an input at the end
 * of time would be the only active one and carry every downstream operator to the end of time (the
 * follow-up would issue every step of every cadence at once); two idle inputs make the join idle,
 * and event time simply waits.
 */
public final class ProfileWatermarks {
    private ProfileWatermarks() {}

    public static WatermarkStrategy<ParsedProfile> strategy() {
        return referenceData();
    }

    /** For any input of reference data without event time. */
    public static <T> WatermarkStrategy<T> referenceData() {
        return context -> new AlwaysIdle<>();
    }

    private static final class AlwaysIdle<T> implements WatermarkGenerator<T> {
        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.markIdle();
        }
    }
}

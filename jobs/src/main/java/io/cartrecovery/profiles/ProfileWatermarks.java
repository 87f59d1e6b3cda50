package io.cartrecovery.profiles;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Profiles carry no event time, and they must never hold the clickstream's event time back: the
 * operators that join them with carts also run event-time timers on the carts' side. A two-input
 * operator follows the smaller of its inputs' watermarks, and a source without watermarks stays at
 * the beginning of time, so the profiles input declares itself at the end of time from the start.
 * The agents roster is reference data of the same kind and uses {@link #endOfTime()} too.
 */
public final class ProfileWatermarks {
    private ProfileWatermarks() {}

    public static WatermarkStrategy<ParsedProfile> strategy() {
        return endOfTime();
    }

    /** For any input of reference data without event time. */
    public static <T> WatermarkStrategy<T> endOfTime() {
        return context -> new EndOfTime<>();
    }

    private static final class EndOfTime<T> implements WatermarkGenerator<T> {
        private boolean emitted;

        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            if (!emitted) {
                output.emitWatermark(new Watermark(Long.MAX_VALUE));
                emitted = true;
            }
        }
    }
}

package io.cartrecovery.kpi;

import java.time.Duration;
import org.apache.flink.api.common.functions.Function;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Gives a stream of results a time of their own and a watermark that follows the job's watermark at
 * a fixed distance. Results are emitted when the job's watermark reaches them, which can be long
 * after their own time (an abandoned cart is reported a gap after its last activity); a window on
 * their own time closes once this watermark passes its end, which the distance keeps from happening
 * before every result of the window has been emitted. The end of input stays the end of time, so a
 * bounded run closes every window.
 */
final class HeldBackEventTime<T> extends AbstractStreamOperator<T>
        implements OneInputStreamOperator<T, T> {
    private static final long serialVersionUID = 1L;

    /** The time of a result, epoch millis. */
    interface TimeOf<T> extends Function {
        long of(T value);
    }

    private final TimeOf<T> time;
    private final long holdBackMillis;

    HeldBackEventTime(TimeOf<T> time, Duration holdBack) {
        this.time = time;
        this.holdBackMillis = holdBack.toMillis();
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element.replace(element.getValue(), time.of(element.getValue())));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long at = mark.getTimestamp();
        super.processWatermark(
                at == Long.MAX_VALUE
                        ? mark
                        : new Watermark(
                                Math.max(Long.MIN_VALUE + holdBackMillis, at) - holdBackMillis));
    }
}

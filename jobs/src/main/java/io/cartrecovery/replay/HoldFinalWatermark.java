package io.cartrecovery.replay;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * At the end of a bounded input Flink sends the final watermark (end of time), which would fire
 * every pending timer and report every open cart as abandoned. A replay must stop where its data
 * stops: this operator turns the final watermark into the latest event time seen, so only carts
 * whose gap elapsed by the last event are reported. It must see every record (parallelism 1).
 */
final class HoldFinalWatermark<T> extends AbstractStreamOperator<T>
        implements OneInputStreamOperator<T, T> {
    private static final long serialVersionUID = 1L;

    private long latest = Long.MIN_VALUE;

    @Override
    public void processElement(StreamRecord<T> element) {
        if (element.hasTimestamp()) {
            latest = Math.max(latest, element.getTimestamp());
        }
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Long.MAX_VALUE) {
            super.processWatermark(new Watermark(latest));
        } else {
            super.processWatermark(mark);
        }
    }
}

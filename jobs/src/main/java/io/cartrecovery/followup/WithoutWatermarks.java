package io.cartrecovery.followup;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Lets an input's records through but none of its watermarks, and declares it idle for good: the
 * operator it feeds follows the event time of its other inputs, as with reference data
 * (ProfileWatermarks).
 *
 * <p>The follow-up's purchases come straight from validation, one hop from the source, while the
 * carts they cancel come through the tracker and the enrichment, five hops. With a watermark of
 * their own, the purchases could carry the follow-up's event time past carts still on their way
 * after an idle spell: a first attempt would then be issued behind the follow-up's watermark and be
 * left out of the KPI windows (docs/detection.md, "Order, watermarks and late events"). Without it,
 * the follow-up's event time is the carts' (and the outcomes'), which the tracker forwards whether
 * or not it reports a cart; a purchase that arrives ahead of it waits in the follow-up's pending
 * inputs until event time reaches it, as every input does.
 */
final class WithoutWatermarks<T> extends AbstractStreamOperator<T>
        implements OneInputStreamOperator<T, T> {
    private static final long serialVersionUID = 1L;

    private transient boolean declared;

    @Override
    public void open() throws Exception {
        super.open();
        declareIdle();
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        declareIdle();
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) {
        declareIdle();
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) {
        declareIdle();
    }

    private void declareIdle() {
        if (!declared) {
            declared = true;
            output.emitWatermarkStatus(WatermarkStatus.IDLE);
        }
    }
}

package io.cartrecovery.ingest;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Sends "active" ahead of the first record after an idle spell. A Flink source whose watermarks
 * declared it idle emits the records of its next poll while still idle, and announces "active" only
 * with its next watermark, after them. Downstream, an operator leaves idle channels out of its
 * watermark, so wherever two paths from the source meet (two subtasks of a keyed shuffle, the KPI
 * windows' union) the first to wake up carried the new watermark past records still in flight on
 * the other: carts and created carts came out behind the watermark and were left out of the KPI
 * windows (docs/detection.md, "Order, watermarks and late events").
 *
 * <p>Placed right after the watermarks are assigned, it marks the stream active before the record
 * is passed on: every operator downstream then counts the waking channel, at the watermark it had
 * before the spell, until its records and the watermark after them have come through. Where one
 * path is much longer than the other (the carts into the follow-up, beside the purchases) the
 * status can still arrive after the other path's next watermark.
 */
public final class ActiveBeforeRecords<T> extends AbstractStreamOperator<T>
        implements OneInputStreamOperator<T, T> {
    private static final long serialVersionUID = 1L;

    /** The status last passed on; a task starts active. */
    private transient boolean idle;

    @Override
    public void processElement(StreamRecord<T> element) {
        if (idle) {
            idle = false;
            output.emitWatermarkStatus(WatermarkStatus.ACTIVE);
        }
        output.collect(element);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        if (status.isIdle() != idle) {
            idle = status.isIdle();
            super.processWatermarkStatus(status);
        }
    }
}

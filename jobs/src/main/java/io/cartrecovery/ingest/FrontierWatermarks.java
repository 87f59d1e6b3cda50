package io.cartrecovery.ingest;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Watermarks of one source partition: the {@link EventTimeFrontier} less the out-of-orderness
 * bound, as Flink's bounded-out-of-orderness generator does with the largest time seen. Dead
 * letters never move it.
 */
final class FrontierWatermarks implements WatermarkGenerator<Ingested> {
    private final EventTimeFrontier frontier;
    private final long outOfOrderness;

    FrontierWatermarks(long maxStep, long outOfOrderness) {
        this.frontier = new EventTimeFrontier(maxStep);
        this.outOfOrderness = outOfOrderness;
    }

    @Override
    public void onEvent(Ingested record, long timestamp, WatermarkOutput output) {
        if (record.event() != null) {
            frontier.observe(record.event().eventTime(), record.event().trackedCart().value());
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long time = frontier.frontier();
        if (time != Long.MIN_VALUE) {
            output.emitWatermark(new Watermark(time - outOfOrderness - 1));
        }
    }
}

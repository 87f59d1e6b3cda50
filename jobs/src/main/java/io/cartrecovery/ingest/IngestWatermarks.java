package io.cartrecovery.ingest;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/** The one watermark strategy of the clickstream, for Kafka and for file replays alike. */
public final class IngestWatermarks {
    private IngestWatermarks() {}

    /**
     * Event time from the event; events may arrive up to {@code outOfOrderness} late without being
     * late; one cart's events move a partition's event time by at most {@code maxStep} each ({@link
     * EventTimeFrontier}); a source split with no data for {@code idleTimeout} stops holding the
     * watermark back.
     */
    public static WatermarkStrategy<Ingested> strategy(
            Duration outOfOrderness, Duration maxStep, Duration idleTimeout) {
        long bound = outOfOrderness.toMillis();
        long step = maxStep.toMillis();
        return WatermarkStrategy.<Ingested>forGenerator(
                        context -> new FrontierWatermarks(step, bound))
                .withTimestampAssigner((record, ignored) -> record.eventTimeOrMin())
                .withIdleness(idleTimeout);
    }
}

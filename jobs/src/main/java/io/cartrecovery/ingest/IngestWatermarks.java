package io.cartrecovery.ingest;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/** The one watermark strategy of the clickstream, for Kafka and for file replays alike. */
public final class IngestWatermarks {
    private IngestWatermarks() {}

    /**
     * Event time from the event; events may arrive up to {@code outOfOrderness} late without being
     * late; a source split with no data for {@code idleTimeout} stops holding the watermark back.
     */
    public static WatermarkStrategy<Ingested> strategy(
            Duration outOfOrderness, Duration idleTimeout) {
        return WatermarkStrategy.<Ingested>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner((record, ignored) -> record.eventTimeOrMin())
                .withIdleness(idleTimeout);
    }
}

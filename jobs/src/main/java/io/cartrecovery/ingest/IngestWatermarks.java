package io.cartrecovery.ingest;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/** The one watermark strategy of the clickstream, for Kafka and for file replays alike. */
public final class IngestWatermarks {
    private IngestWatermarks() {}

    /**
     * Event time from the event; events may arrive up to {@code outOfOrderness} late without being
     * late; one cart's events move a partition's event time by at most {@code maxStep} each ({@link
     * EventTimeFrontier}); a source split with no data for {@code idleTimeout} and nothing left to
     * read ({@link PartitionIdleness}) stops holding the watermark back.
     *
     * @param catchUps whether a quiet partition has been read to its end: {@link
     *     IdleWhenCaughtUp.CatchUps#FILES} for files, where quiet for {@code idleTimeout} is enough
     */
    public static WatermarkStrategy<Ingested> strategy(
            Duration outOfOrderness,
            Duration maxStep,
            Duration idleTimeout,
            IdleWhenCaughtUp.CatchUps catchUps) {
        long bound = outOfOrderness.toMillis();
        long step = maxStep.toMillis();
        return IdleWhenCaughtUp.strategy(
                context -> new FrontierWatermarks(step, bound),
                (record, ignored) -> record.eventTimeOrMin(),
                Ingested::position,
                idleTimeout,
                catchUps);
    }
}

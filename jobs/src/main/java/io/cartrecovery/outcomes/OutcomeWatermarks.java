package io.cartrecovery.outcomes;

import io.cartrecovery.ingest.IdleWhenCaughtUp;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time of the outcomes input: the dialer's {@code time}, with the clickstream's bounds
 * ({@code ingest.out-of-orderness}, {@code ingest.idle-timeout}), so a quiet dialer never holds the
 * follow-up's event time back.
 */
public final class OutcomeWatermarks {
    private OutcomeWatermarks() {}

    /**
     * @param catchUps whether a quiet partition has been read to its end ({@link
     *     IdleWhenCaughtUp}): an outcome partition with unread outcomes never goes idle
     */
    public static WatermarkStrategy<ParsedOutcome> strategy(
            Duration outOfOrderness, Duration idleTimeout, IdleWhenCaughtUp.CatchUps catchUps) {
        return IdleWhenCaughtUp.strategy(
                context -> new BoundedOutOfOrdernessWatermarks<>(outOfOrderness),
                (parsed, ignored) -> OutcomeIngestion.eventTime(parsed),
                ParsedOutcome::position,
                idleTimeout,
                catchUps);
    }
}

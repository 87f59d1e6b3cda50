package io.cartrecovery.outcomes;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time of the outcomes input: the dialer's {@code time}, with the clickstream's bounds
 * ({@code ingest.out-of-orderness}, {@code ingest.idle-timeout}), so a quiet dialer never holds the
 * follow-up's event time back.
 */
public final class OutcomeWatermarks {
    private OutcomeWatermarks() {}

    public static WatermarkStrategy<ParsedOutcome> strategy(
            Duration outOfOrderness, Duration idleTimeout) {
        return WatermarkStrategy.<ParsedOutcome>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner((parsed, ignored) -> OutcomeIngestion.eventTime(parsed))
                .withIdleness(idleTimeout);
    }
}

package io.cartrecovery.clickhouse;

import io.cartrecovery.config.ClickHouseSettings;
import io.cartrecovery.sinks.Facts;

/** The job's fact outputs into ClickHouse (docs/clickhouse.md). */
public final class ClickHouseFacts {
    private ClickHouseFacts() {}

    public static Facts sinks(ClickHouseSettings settings) {
        return new Facts(
                new ClickHouseSink<>(settings, new ContactTaskTable()),
                new ClickHouseSink<>(settings, new AbandonedCartTable()),
                new ClickHouseSink<>(settings, new KpiMinuteTable()),
                new ClickHouseSink<>(settings, new ContactKpiMinuteTable()),
                new ClickHouseSink<>(settings, new ContactAttemptTable()),
                new ClickHouseSink<>(settings, new RecoveryTable()),
                new ClickHouseSink<>(settings, new HoldoutTable()),
                new ClickHouseSink<>(settings, new AlertTable()),
                new ClickHouseSink<>(settings, new AlertKpiMinuteTable()));
    }
}

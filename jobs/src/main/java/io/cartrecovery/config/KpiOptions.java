package io.cartrecovery.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** The per-minute KPI windows written to ClickHouse (docs/clickhouse.md, "KPI windows"). */
public final class KpiOptions {
    private KpiOptions() {}

    public static final ConfigOption<Duration> ALLOWED_LATENESS =
            ConfigOptions.key("kpi.allowed-lateness")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "How long the KPI windows stay open past the job's watermark for"
                                    + " records that arrive behind it: dialer outcomes reported"
                                    + " after the clickstream moved on, and records still in"
                                    + " flight when a quiet source wakes up. A row later than"
                                    + " this is left out of the windows, counted in the metric"
                                    + " kpiLateRows and logged; the facts keep it. Every minute's"
                                    + " row reaches ClickHouse this much later.");
}

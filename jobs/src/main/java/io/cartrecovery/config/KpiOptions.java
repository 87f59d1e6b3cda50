package io.cartrecovery.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** The per-minute KPI windows written to ClickHouse (docs/clickhouse.md, "KPI windows"). */
public final class KpiOptions {
    private KpiOptions() {}

    public static final ConfigOption<Duration> OUTCOME_DELAY =
            ConfigOptions.key("kpi.outcome-delay")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "How long the contact KPI windows stay open past the clickstream's"
                                    + " watermark for dialer outcomes reported late (an outcome"
                                    + " whose time the clickstream has already passed). A step"
                                    + " later than this is left out of the windows, counted in"
                                    + " the metric kpiLateRows and logged; the facts keep it. A"
                                    + " minute's row reaches ClickHouse this much later.");
}

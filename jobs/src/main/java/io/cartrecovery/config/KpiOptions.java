package io.cartrecovery.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** The per-minute KPI rows written to ClickHouse (docs/clickhouse.md, "KPI windows"). */
public final class KpiOptions {
    private KpiOptions() {}

    public static final ConfigOption<Duration> RETENTION =
            ConfigOptions.key("kpi.retention")
                    .durationType()
                    .defaultValue(Duration.ofDays(3))
                    .withDescription(
                            "How long past its end (in event time) a KPI minute keeps its totals"
                                    + " in state and takes records that arrive behind the"
                                    + " watermark, such as dialer outcomes reported late or"
                                    + " records in flight when a quiet source wakes up: each"
                                    + " corrects its minute. A row later than this is left out"
                                    + " of its minute, counted in the metric kpiLateRows and"
                                    + " logged; the facts keep it. Set it to"
                                    + " detection.task-retention to count every outcome the"
                                    + " follow-up takes.");
}

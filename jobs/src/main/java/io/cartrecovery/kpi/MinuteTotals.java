package io.cartrecovery.kpi;

import io.cartrecovery.ingest.LogSafe;
import io.cartrecovery.keys.KpiMinuteKey;
import io.cartrecovery.serialization.KeyTypes;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running totals of one KPI minute and its dimensions, keyed by {@link MinuteTotal#key}: every
 * contribution is added to its minute whenever it comes, and the minute's new totals go out at once
 * (the ClickHouse writer keeps only the latest row of a key per batch, so a minute is written at
 * most once per {@code clickhouse.flush-interval} and checkpoint). No window closes: a dialer
 * outcome reported late, or a record in flight when a quiet source wakes up, corrects its minute
 * (docs/clickhouse.md, "KPI windows").
 *
 * <p>A minute's state is freed when the watermark passes its end plus {@code kpi.retention} (an
 * event-time timer, so a restore or a replay frees it at the same point of the input). A record for
 * a minute already freed would restart it from zero and overwrite its row with a partial total;
 * instead it is left out, counted in the metric {@code kpiLateRows} and logged (store and minute
 * only). The facts in ClickHouse still have it.
 */
final class MinuteTotals<T extends MinuteTotal<T>>
        extends KeyedProcessFunction<KpiMinuteKey, T, T> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MinuteTotals.class);

    /** The metric of rows later than the retention. */
    static final String LATE_ROWS = "kpiLateRows";

    private final String what;
    private final TypeInformation<T> type;
    private final long retentionMillis;
    private transient ValueState<T> totals;
    private transient Counter late;

    /**
     * @param what what the minutes count, for the log
     * @param retention how long past its end a minute still takes records
     */
    MinuteTotals(String what, TypeInformation<T> type, Duration retention) {
        this.what = what;
        this.type = type;
        this.retentionMillis = retention.toMillis();
    }

    /** The minute's totals so far. */
    static <T> ValueStateDescriptor<T> totals(TypeInformation<T> type) {
        return new ValueStateDescriptor<>("totals", type);
    }

    @Override
    public void open(OpenContext openContext) {
        totals = getRuntimeContext().getState(totals(type));
        late = getRuntimeContext().getMetricGroup().counter(LATE_ROWS);
    }

    @Override
    public void processElement(T row, Context ctx, Collector<T> out) throws Exception {
        long forgetAt = forgetAt(row.minuteStart());
        long watermark = ctx.timerService().currentWatermark();
        if (forgetAt <= watermark) {
            late.inc();
            LOG.warn(
                    "{} KPI row of store {} for minute {} came after the minute was freed"
                            + " (kpi.retention, watermark at {}): left out of the minute, kept in"
                            + " the facts",
                    what,
                    LogSafe.of(row.storeId()),
                    Instant.ofEpochMilli(row.minuteStart()),
                    Instant.ofEpochMilli(watermark));
            return;
        }
        T before = totals.value();
        T now = before == null ? row : before.plus(row);
        if (before == null) {
            ctx.timerService().registerEventTimeTimer(forgetAt);
        }
        totals.update(now);
        out.collect(now);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<T> out) {
        KeyTypes.requireTyped(ctx.getCurrentKey());
        totals.clear();
    }

    /** Rows left out so far (for tests). */
    long lateRows() {
        return late.getCount();
    }

    private long forgetAt(long minuteStart) {
        long end = minuteStart + Kpis.MINUTE_MILLIS;
        return end > Long.MAX_VALUE - retentionMillis ? Long.MAX_VALUE : end + retentionMillis;
    }
}

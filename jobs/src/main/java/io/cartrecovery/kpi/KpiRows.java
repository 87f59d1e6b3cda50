package io.cartrecovery.kpi;

import io.cartrecovery.ingest.LogSafe;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.flink.api.common.functions.Function;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns results into rows of a KPI window's input, store first and event time last (UTC), and says
 * which the window will leave out. A row whose time the windows' watermark has already passed is
 * dropped by the window operator without a trace; here it is counted in the metric {@code
 * kpiLateRows} and logged (the store and the time, no personal data). The facts in ClickHouse still
 * have it. Moving it into a minute still open instead would make the windows depend on arrival
 * order: a replay would write it under another minute and both rows would count.
 */
final class KpiRows<T> extends ProcessFunction<T, Row> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(KpiRows.class);

    /** A result as a row, store first, event time last. */
    interface ToRow<T> extends Function {
        Row of(T value);
    }

    private final String window;
    private final ToRow<T> toRow;
    private transient Counter late;

    /**
     * @param window what the rows are, for the log
     */
    KpiRows(String window, ToRow<T> toRow) {
        this.window = window;
        this.toRow = toRow;
    }

    @Override
    public void open(OpenContext openContext) {
        late = getRuntimeContext().getMetricGroup().counter("kpiLateRows");
    }

    /** Rows left out of the windows so far (for tests). */
    long lateRows() {
        return late.getCount();
    }

    @Override
    public void processElement(T value, Context ctx, Collector<Row> out) {
        Row row = toRow.of(value);
        LocalDateTime at = row.getFieldAs(row.getArity() - 1);
        long watermark = ctx.timerService().currentWatermark();
        if (watermark != Long.MIN_VALUE
                && at.toInstant(ZoneOffset.UTC).toEpochMilli() <= watermark) {
            late.inc();
            LOG.warn(
                    "{} KPI row of store {} at {}Z came after its minute closed (windows at {}): left out of the"
                            + " windows, kept in the facts",
                    window,
                    LogSafe.of(row.getField(0)),
                    at,
                    Instant.ofEpochMilli(watermark));
        }
        out.collect(row);
    }
}

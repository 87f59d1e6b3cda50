package io.cartrecovery.ingest;

import io.cartrecovery.events.ClickEvent;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops repeats of an event id (trackers retry; Kafka producers without idempotence duplicate).
 * Keyed by {@link ClickEvent#dedupKey()}. An id is remembered for {@code retention} of event time
 * after the later of its event time and the watermark, then forgotten by an event-time timer, so
 * state stays bounded and a replay drops exactly what the live run dropped.
 */
public final class Deduplicator extends KeyedProcessFunction<String, ClickEvent, ClickEvent> {
    private static final long serialVersionUID = 1L;

    public static final String METRIC_DUPLICATES = "duplicateEvents";

    static final ValueStateDescriptor<Long> SEEN_UNTIL =
            new ValueStateDescriptor<>("seen-until", Long.class);

    private final long retentionMillis;
    private transient ValueState<Long> seenUntil;
    private transient Counter duplicates;

    public Deduplicator(Duration retention) {
        this.retentionMillis = retention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        seenUntil = getRuntimeContext().getState(SEEN_UNTIL);
        duplicates = getRuntimeContext().getMetricGroup().counter(METRIC_DUPLICATES);
    }

    @Override
    public void processElement(ClickEvent event, Context ctx, Collector<ClickEvent> out)
            throws Exception {
        if (seenUntil.value() != null) {
            duplicates.inc();
            return;
        }
        long forgetAt =
                Math.max(event.eventTime(), ctx.timerService().currentWatermark())
                        + retentionMillis;
        seenUntil.update(forgetAt);
        ctx.timerService().registerEventTimeTimer(forgetAt);
        out.collect(event);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ClickEvent> out) {
        seenUntil.clear();
    }
}

package io.cartrecovery.job;

import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.ingest.Ingested;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Sends valid events on, and dead letters to their side output. */
final class ValidateEvents extends ProcessFunction<Ingested, ClickEvent> {
    private static final long serialVersionUID = 1L;

    static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    @Override
    public void processElement(Ingested record, Context ctx, Collector<ClickEvent> out) {
        if (record.event() != null) {
            out.collect(record.event());
        } else {
            ctx.output(DEAD_LETTERS, record.deadLetter());
        }
    }
}

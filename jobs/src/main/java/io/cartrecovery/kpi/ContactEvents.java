package io.cartrecovery.kpi;

import io.cartrecovery.followup.TaskEvent;
import io.cartrecovery.followup.TaskEventType;
import io.cartrecovery.outcomes.OutcomeCode;
import java.math.BigDecimal;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The task events that count in the contact KPI windows, keyed by task: an attempt counts once as
 * made (its first outcome), once as reached and once as responded however many outcomes say so (a
 * message read and then replied to reached its shopper once), and each recovery once.
 */
final class ContactEvents extends KeyedProcessFunction<String, TaskEvent, ContactEvent> {
    private static final long serialVersionUID = 1L;

    static final String UID = "kpi-contact-events";

    private static final int REACHED = 1;
    private static final int RESPONDED = 2;

    /** What the task's outcomes already counted: {@link #REACHED}, {@link #RESPONDED}. */
    static final ValueStateDescriptor<Integer> COUNTED =
            new ValueStateDescriptor<>("counted", Integer.class);

    private final long retentionMillis;
    private transient ValueState<Integer> counted;

    /**
     * @param retention how long after its first reaching outcome a task is remembered: as long as a
     *     cart is watched, after which the follow-up takes no outcome of it
     */
    ContactEvents(Duration retention) {
        this.retentionMillis = retention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        counted = getRuntimeContext().getState(COUNTED);
    }

    @Override
    public void processElement(TaskEvent event, Context ctx, Collector<ContactEvent> out)
            throws Exception {
        TaskEventType type = event.type();
        if (type == TaskEventType.ATTEMPTED) {
            out.collect(contact(event, "attempted", null, null));
        } else if (type == TaskEventType.RECOVERED) {
            out.collect(contact(event, "recovered", event.currency(), event.value()));
        } else if (type == TaskEventType.OUTCOME && event.outcome() != null) {
            OutcomeCode code = OutcomeCode.fromWireName(event.outcome()).orElse(null);
            if (code == null || !code.reached()) {
                // Responded implies reached (OutcomeCode): nothing to count.
                return;
            }
            int before = counted.value() == null ? 0 : counted.value();
            int now = before | REACHED | (code.responded() ? RESPONDED : 0);
            if (now == before) {
                return;
            }
            if (before == 0) {
                ctx.timerService().registerEventTimeTimer(event.time() + retentionMillis);
            }
            counted.update(now);
            if ((before & REACHED) == 0) {
                out.collect(contact(event, "reached", null, null));
            }
            if ((now & RESPONDED) != 0 && (before & RESPONDED) == 0) {
                out.collect(contact(event, "responded", null, null));
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ContactEvent> out) {
        counted.clear();
    }

    private static ContactEvent contact(
            TaskEvent event, String type, String currency, BigDecimal value) {
        return new ContactEvent(
                event.storeId(), event.channel(), type, currency, value, event.time());
    }
}

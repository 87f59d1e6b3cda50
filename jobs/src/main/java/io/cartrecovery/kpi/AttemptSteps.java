package io.cartrecovery.kpi;

import io.cartrecovery.followup.AttemptFact;
import io.cartrecovery.keys.CartKey;
import io.cartrecovery.keys.Keys;
import io.cartrecovery.serialization.KeyTypes;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The steps of contact attempts that count in the contact KPI windows, from the follow-up's attempt
 * facts, keyed by cart ({@link #key}). The follow-up writes an attempt's fact again on every change
 * (each outcome, expiry, cancel); here each attempt counts once as made (its first outcome), once
 * as reached and once as responded however many outcomes say so, and the cart's first attempt made
 * counts once as its first contact, with the seconds since the cart's last activity.
 *
 * <p>The first contact is the first attempt made in the order the follow-up reports them: a cart's
 * attempts go out one after another and an attempt's outcomes are taken only until the next one
 * goes out, so that order is the order of the contacts.
 */
final class AttemptSteps extends KeyedProcessFunction<CartKey, AttemptFact, ContactEvent> {
    private static final long serialVersionUID = 1L;

    static final String UID = "kpi-attempt-steps";

    /**
     * The channel of an attempt for a customer the job does not know (the dialer picks one), as the
     * {@code contact_attempts} facts name it.
     */
    static final String UNKNOWN_CHANNEL = "unknown";

    private static final int ATTEMPTED = 1;
    private static final int REACHED = 2;
    private static final int RESPONDED = 4;

    /** What each attempt of the cart already counted, by task id. */
    static final MapStateDescriptor<String, Integer> COUNTED =
            new MapStateDescriptor<>("counted", Types.STRING, Types.INT);

    /** When the cart is forgotten: its latest fact's time plus the retention. */
    static final ValueStateDescriptor<Long> FORGET_AT =
            new ValueStateDescriptor<>("forget-at", Types.LONG);

    private final long retentionMillis;
    private transient MapState<String, Integer> counted;
    private transient ValueState<Long> forgetAt;

    /**
     * @param retention how long after its latest fact a cart is remembered: as long as the
     *     follow-up takes outcomes of an attempt
     */
    AttemptSteps(Duration retention) {
        this.retentionMillis = retention.toMillis();
    }

    /** The key: one cart of one store. */
    static CartKey key(AttemptFact fact) {
        return Keys.cart(fact.storeId(), fact.cartId());
    }

    @Override
    public void open(OpenContext openContext) {
        counted = getRuntimeContext().getMapState(COUNTED);
        forgetAt = getRuntimeContext().getState(FORGET_AT);
    }

    @Override
    public void processElement(AttemptFact fact, Context ctx, Collector<ContactEvent> out)
            throws Exception {
        if (fact.attemptedAt() == null) {
            // Issued, expired or cancelled without an outcome: no contact was made.
            return;
        }
        long madeAt = fact.attemptedAt();
        long changedAt = fact.endedAt() == null ? madeAt : fact.endedAt();
        Integer known = counted.get(fact.taskId());
        int before = known == null ? 0 : known;
        int now =
                before
                        | ATTEMPTED
                        | (fact.reached() ? REACHED : 0)
                        | (fact.responded() ? RESPONDED : 0);
        if (now == before) {
            return;
        }
        if ((before & ATTEMPTED) == 0) {
            boolean firstOfCart = counted.isEmpty();
            out.collect(step(fact, ContactEvent.ATTEMPTED, null, madeAt));
            if (firstOfCart) {
                long seconds = Math.max(0, madeAt - fact.abandonedAt()) / 1000;
                out.collect(step(fact, ContactEvent.FIRST_CONTACT, seconds, madeAt));
            }
        }
        if ((now & REACHED) != 0 && (before & REACHED) == 0) {
            out.collect(step(fact, ContactEvent.REACHED, null, changedAt));
        }
        if ((now & RESPONDED) != 0 && (before & RESPONDED) == 0) {
            out.collect(step(fact, ContactEvent.RESPONDED, null, changedAt));
        }
        counted.put(fact.taskId(), now);
        Long forget = forgetAt.value();
        long next = changedAt + retentionMillis;
        if (forget == null || next > forget) {
            if (forget != null) {
                ctx.timerService().deleteEventTimeTimer(forget);
            }
            ctx.timerService().registerEventTimeTimer(next);
            forgetAt.update(next);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ContactEvent> out) {
        KeyTypes.requireTyped(ctx.getCurrentKey());
        counted.clear();
        forgetAt.clear();
    }

    private static ContactEvent step(AttemptFact fact, String type, Long seconds, long at) {
        return new ContactEvent(
                fact.storeId(),
                fact.channel() == null ? UNKNOWN_CHANNEL : fact.channel(),
                fact.agentId(),
                type,
                null,
                null,
                seconds,
                at);
    }
}

package io.cartrecovery.followup;

import io.cartrecovery.enrich.CartEnricher;
import io.cartrecovery.enrich.EnrichedCart;
import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.keys.CartKey;
import io.cartrecovery.keys.CustomerKey;
import io.cartrecovery.keys.Keys;
import io.cartrecovery.outcomes.ParsedOutcome;
import io.cartrecovery.serialization.KeyTypes;
import io.cartrecovery.serialization.SerializerTypeInfo;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sends each outcome to its cart's customer. Outcomes name the cart, not the customer, and the
 * follow-up is keyed by customer: keyed by store and cart ({@link #cartKey}), this remembers whose
 * each decided cart is. An outcome waits until event time reaches it, so its cart has been decided
 * by then even when a replay reads the outcomes file ahead of the clickstream.
 */
public final class OutcomeRouter
        extends KeyedCoProcessFunction<CartKey, EnrichedCart, ParsedOutcome, FollowUpInput> {
    private static final long serialVersionUID = 1L;

    public static final String UID = "route-outcomes";

    /** Outcomes of carts never decided (or forgotten). */
    public static final OutputTag<DeadLetter> UNKNOWN = new OutputTag<>("unknown-outcomes") {};

    /** Written as the string it was before keys had types ({@link KeyTypes}): it restores. */
    static final ValueStateDescriptor<CustomerKey> CUSTOMER =
            new ValueStateDescriptor<>("customer-key", KeyTypes.CUSTOMER);

    static final ValueStateDescriptor<Long> FORGET_AT =
            new ValueStateDescriptor<>("forget-at", Long.class);
    public static final ListStateDescriptor<ParsedOutcome> WAITING =
            new ListStateDescriptor<>(
                    "waiting-outcomes",
                    new SerializerTypeInfo<>(
                            ParsedOutcome.class, WaitingOutcomeSerializer.INSTANCE));

    private final long keepMillis;

    private transient ValueState<CustomerKey> customer;
    private transient ValueState<Long> forgetAt;
    private transient ListState<ParsedOutcome> waiting;

    /**
     * @param keepMillis how long after abandonment a cart's outcomes may still come: its whole
     *     cadence, the last attempt's expiry and the attribution window
     */
    public OutcomeRouter(long keepMillis) {
        this.keepMillis = keepMillis;
    }

    /**
     * A week: the longest an attempt can wait for its contact moment (a window open one day a
     * week). The cadence is pushed back by the first attempt's wait, and the last attempt expires
     * after its own.
     */
    static final long WAIT_ALLOWANCE_MILLIS = 7 * 86_400_000L;

    public static OutcomeRouter of(Cadence cadence) {
        List<Step> steps = cadence.steps();
        return new OutcomeRouter(
                Math.max(steps.get(steps.size() - 1).offsetMillis(), cadence.horizonMillis())
                        + WAIT_ALLOWANCE_MILLIS
                        + cadence.attemptExpiryMillis()
                        + cadence.attributionWindowMillis());
    }

    public static CartKey cartKey(EnrichedCart cart) {
        return Keys.cart(cart.cart().storeId(), cart.cart().cartId());
    }

    public static CartKey cartKey(ParsedOutcome outcome) {
        return Keys.cart(outcome.outcome().storeId(), outcome.outcome().cartId());
    }

    @Override
    public void open(OpenContext openContext) {
        customer = getRuntimeContext().getState(CUSTOMER);
        forgetAt = getRuntimeContext().getState(FORGET_AT);
        waiting = getRuntimeContext().getListState(WAITING);
    }

    @Override
    public void processElement1(EnrichedCart cart, Context ctx, Collector<FollowUpInput> out)
            throws Exception {
        customer.update(CartEnricher.customerKey(cart.cart()));
        long forget = cart.cart().abandonedAt() + keepMillis;
        Long known = forgetAt.value();
        if (known == null || known < forget) {
            forgetAt.update(forget);
            ctx.timerService().registerEventTimeTimer(forget);
        }
    }

    @Override
    public void processElement2(ParsedOutcome outcome, Context ctx, Collector<FollowUpInput> out)
            throws Exception {
        waiting.add(outcome);
        long watermark = ctx.timerService().currentWatermark();
        if (outcome.outcome().time() <= watermark) {
            release(watermark, ctx, out);
        } else {
            ctx.timerService().registerEventTimeTimer(outcome.outcome().time());
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FollowUpInput> out)
            throws Exception {
        KeyTypes.requireTyped(ctx.getCurrentKey());
        release(timestamp, ctx, out);
        Long forget = forgetAt.value();
        if (forget != null && forget <= timestamp) {
            customer.clear();
            forgetAt.clear();
        }
    }

    private void release(long now, Context ctx, Collector<FollowUpInput> out) throws Exception {
        List<ParsedOutcome> still = new ArrayList<>();
        CustomerKey key = customer.value();
        for (ParsedOutcome outcome : waiting.get()) {
            if (outcome.outcome().time() > now) {
                still.add(outcome);
            } else if (key == null) {
                ctx.output(
                        UNKNOWN,
                        outcome.reject(
                                "unknown task_id: its cart_id was never reported abandoned (or"
                                        + " is past its attribution window)",
                                System.currentTimeMillis()));
            } else {
                // The follow-up orders by the outcome's own time, whatever the record's timestamp.
                out.collect(FollowUpInput.of(key, outcome));
            }
        }
        waiting.update(still);
    }
}

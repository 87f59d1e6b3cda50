package io.cartrecovery.detection;

import io.cartrecovery.config.JobSettings;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.EventType;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.util.Collector;

/**
 * The CEP patterns for strong abandonment signals, run per cart in event time. Each match becomes a
 * {@link ReasonSignal} for {@link CartTracker}. Every pattern has a {@code within} bound, so CEP
 * state for a cart is pruned as event time moves on.
 */
public final class ReasonPatterns {
    private ReasonPatterns() {}

    /** A shipping cost was shown, and no payment step or purchase followed within the silence. */
    static Pattern<ClickEvent, ?> unexpectedCosts(JobSettings settings) {
        return Pattern.<ClickEvent>begin("shipping", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(
                        SimpleCondition.of(
                                e ->
                                        e.type() == EventType.SHIPPING_INFO
                                                && e.shippingCost() != null
                                                && e.shippingCost().signum() > 0))
                .notFollowedBy("payment")
                .where(
                        SimpleCondition.of(
                                e ->
                                        e.type() == EventType.PAYMENT_INFO
                                                || e.type() == EventType.PAYMENT_FAILED
                                                || e.type() == EventType.PURCHASE))
                .within(settings.shippingSilence());
    }

    /** Payment failed again and again. */
    static Pattern<ClickEvent, ?> paymentProblem(JobSettings settings) {
        return repeated(EventType.PAYMENT_FAILED, settings.paymentFailures(), settings);
    }

    /** Checkout kept erroring. */
    static Pattern<ClickEvent, ?> checkoutErrors(JobSettings settings) {
        return repeated(EventType.CHECKOUT_ERROR, settings.checkoutErrors(), settings);
    }

    /** The shopper was still in checkout, without buying, long after starting it. */
    static Pattern<ClickEvent, ?> longCheckout(JobSettings settings) {
        long threshold = settings.longCheckout().toMillis();
        return Pattern.<ClickEvent>begin("start", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(e -> e.type() == EventType.CHECKOUT_START))
                .notFollowedBy("purchase")
                .where(SimpleCondition.of(e -> e.type() == EventType.PURCHASE))
                .followedBy("still-in-checkout")
                .where(
                        new IterativeCondition<>() {
                            @Override
                            public boolean filter(ClickEvent event, Context<ClickEvent> ctx)
                                    throws Exception {
                                ClickEvent start =
                                        ctx.getEventsForPattern("start").iterator().next();
                                return event.type() != EventType.PURCHASE
                                        && event.eventTime() - start.eventTime() >= threshold;
                            }
                        })
                .within(settings.signalWindow());
    }

    private static Pattern<ClickEvent, ?> repeated(
            EventType type, int times, JobSettings settings) {
        return Pattern.<ClickEvent>begin("repeated", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(e -> e.type() == type))
                .times(times)
                .within(settings.signalWindow());
    }

    /** Runs every pattern on the per-cart events and merges their signals. */
    public static DataStream<ReasonSignal> signals(
            KeyedStream<ClickEvent, String> cartEvents, JobSettings settings) {
        // The silence pattern completes when its window ends with nothing in it: that is when it
        // becomes true. The others become true with their last event.
        long silence = settings.shippingSilence().toMillis();
        DataStream<ReasonSignal> costs =
                detect(
                        cartEvents,
                        unexpectedCosts(settings),
                        ReasonHint.UNEXPECTED_COSTS,
                        silence,
                        "unexpected-costs");
        DataStream<ReasonSignal> payment =
                detect(
                        cartEvents,
                        paymentProblem(settings),
                        ReasonHint.PAYMENT_PROBLEM,
                        0,
                        "payment-problem");
        DataStream<ReasonSignal> errors =
                detect(
                        cartEvents,
                        checkoutErrors(settings),
                        ReasonHint.COMPLICATED_CHECKOUT,
                        0,
                        "checkout-errors");
        DataStream<ReasonSignal> slow =
                detect(
                        cartEvents,
                        longCheckout(settings),
                        ReasonHint.COMPLICATED_CHECKOUT,
                        0,
                        "long-checkout");
        return costs.union(payment, errors, slow);
    }

    private static DataStream<ReasonSignal> detect(
            KeyedStream<ClickEvent, String> cartEvents,
            Pattern<ClickEvent, ?> pattern,
            ReasonHint reason,
            long waitAfterLastEvent,
            String name) {
        return CEP.pattern(cartEvents, pattern)
                .process(new ToSignal(reason, waitAfterLastEvent))
                .name("signal: " + name)
                .uid("signal-" + name);
    }

    /** Turns a match into a signal, dated by its events. */
    static final class ToSignal extends PatternProcessFunction<ClickEvent, ReasonSignal> {
        private static final long serialVersionUID = 1L;
        private final ReasonHint reason;
        private final long waitAfterLastEvent;

        ToSignal(ReasonHint reason, long waitAfterLastEvent) {
            this.reason = reason;
            this.waitAfterLastEvent = waitAfterLastEvent;
        }

        @Override
        public void processMatch(
                Map<String, List<ClickEvent>> match, Context ctx, Collector<ReasonSignal> out) {
            LongSummaryStatistics times =
                    match.values().stream()
                            .flatMap(List::stream)
                            .mapToLong(ClickEvent::eventTime)
                            .summaryStatistics();
            String cartKey = match.values().iterator().next().get(0).cartKey();
            out.collect(
                    new ReasonSignal(
                            cartKey, reason, times.getMin(), times.getMax() + waitAfterLastEvent));
        }
    }
}

package io.cartrecovery.detection;

import io.cartrecovery.config.JobSettings;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.EventType;
import io.cartrecovery.ingest.Deduplicator;
import io.cartrecovery.keys.TrackedCartKey;
import io.cartrecovery.serialization.KeyTypes;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.util.Collector;

/**
 * The CEP patterns for strong abandonment signals, run per cart in event time: repeated payment
 * failures and repeated checkout errors. Each match becomes a {@link ReasonSignal} for {@link
 * CartTracker}. Every pattern has a {@code within} bound, so CEP state for a cart is pruned as
 * event time moves on.
 */
public final class ReasonPatterns {
    private ReasonPatterns() {}

    static boolean shippingCostShown(ClickEvent e) {
        return e.type() == EventType.SHIPPING_INFO
                && e.shippingCost() != null
                && e.shippingCost().signum() > 0;
    }

    /** Payment failed again and again. */
    static Pattern<SignalEvent, ?> paymentProblem(JobSettings settings) {
        return repeated(EventType.PAYMENT_FAILED, settings.paymentFailures(), settings);
    }

    /** Checkout kept erroring. */
    static Pattern<SignalEvent, ?> checkoutErrors(JobSettings settings) {
        return repeated(EventType.CHECKOUT_ERROR, settings.checkoutErrors(), settings);
    }

    private static Pattern<SignalEvent, ?> repeated(
            EventType type, int times, JobSettings settings) {
        return Pattern.<SignalEvent>begin("repeated", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(e -> e.type() == type))
                .times(times)
                .within(settings.signalWindow());
    }

    /** The only event types any pattern here reads. */
    static boolean concernsSignals(ClickEvent e) {
        return e.type() == EventType.PAYMENT_FAILED || e.type() == EventType.CHECKOUT_ERROR;
    }

    /**
     * Runs every pattern on the cart events and merges their signals.
     *
     * <p>A CEP operator keeps every event it is given in keyed state until the watermark passes it,
     * with a timer per event time, and keeps a timer firing on every watermark while a cart has a
     * partial match. Every step of these patterns has relaxed contiguity and names its event types,
     * so the patterns get only those (failed payments and checkout errors, about one event in a
     * thousand, de-duplicated on their own path), and each pattern only the type it names: the same
     * matches, for a small share of the events. The long-checkout hint, whose last step is any
     * event, and the unexpected-costs hint, which waited out a silence with a partial match per
     * cart, are the tracker's ({@link LongCheckout}, {@link UnexpectedCosts}).
     *
     * @param events every valid event, keyed or not
     */
    public static DataStream<ReasonSignal> signals(
            DataStream<ClickEvent> events, JobSettings settings) {
        KeyedStream<SignalEvent, TrackedCartKey> relevant =
                DataStreamUtils.reinterpretAsKeyedStream(
                        events.filter(ReasonPatterns::concernsSignals)
                                .name("events for signals")
                                .uid("signal-events")
                                .keyBy(ClickEvent::trackedCart, KeyTypes.TRACKED_CART)
                                .process(new Deduplicator(settings.dedupRetention()))
                                .name("deduplicate events for signals")
                                .uid("signal-events-deduplicate")
                                .map(SignalEvent::of)
                                .name("what the patterns read")
                                .uid("signal-events-slim"),
                        SignalEvent::trackedCart,
                        KeyTypes.TRACKED_CART);
        DataStream<ReasonSignal> payment =
                detect(
                        only(relevant, e -> e.type() == EventType.PAYMENT_FAILED, "payment"),
                        paymentProblem(settings),
                        ReasonHint.PAYMENT_PROBLEM,
                        0,
                        "payment-problem");
        DataStream<ReasonSignal> errors =
                detect(
                        only(relevant, e -> e.type() == EventType.CHECKOUT_ERROR, "errors"),
                        checkoutErrors(settings),
                        ReasonHint.COMPLICATED_CHECKOUT,
                        0,
                        "checkout-errors");
        return payment.union(errors);
    }

    /**
     * The cart's events a pattern can use. The filter keeps each cart on its subtask, so the stream
     * is still keyed by cart and chains to the CEP operator without a shuffle.
     */
    private static KeyedStream<SignalEvent, TrackedCartKey> only(
            KeyedStream<SignalEvent, TrackedCartKey> cartEvents,
            FilterFunction<SignalEvent> relevant,
            String name) {
        return DataStreamUtils.reinterpretAsKeyedStream(
                cartEvents.filter(relevant).name("events for " + name).uid("signal-input-" + name),
                SignalEvent::trackedCart,
                KeyTypes.TRACKED_CART);
    }

    private static DataStream<ReasonSignal> detect(
            KeyedStream<SignalEvent, TrackedCartKey> cartEvents,
            Pattern<SignalEvent, ?> pattern,
            ReasonHint reason,
            long waitAfterLastEvent,
            String name) {
        return CEP.pattern(cartEvents, pattern)
                .process(new ToSignal(reason, waitAfterLastEvent))
                .name("signal: " + name)
                .uid("signal-" + name);
    }

    /** Turns a match into a signal, dated by its events. */
    static final class ToSignal extends PatternProcessFunction<SignalEvent, ReasonSignal> {
        private static final long serialVersionUID = 1L;
        private final ReasonHint reason;
        private final long waitAfterLastEvent;

        ToSignal(ReasonHint reason, long waitAfterLastEvent) {
            this.reason = reason;
            this.waitAfterLastEvent = waitAfterLastEvent;
        }

        @Override
        public void processMatch(
                Map<String, List<SignalEvent>> match, Context ctx, Collector<ReasonSignal> out) {
            LongSummaryStatistics times =
                    match.values().stream()
                            .flatMap(List::stream)
                            .mapToLong(SignalEvent::eventTime)
                            .summaryStatistics();
            TrackedCartKey cart = match.values().iterator().next().get(0).trackedCart();
            out.collect(
                    new ReasonSignal(
                            cart, reason, times.getMin(), times.getMax() + waitAfterLastEvent));
        }
    }
}

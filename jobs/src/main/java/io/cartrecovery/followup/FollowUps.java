package io.cartrecovery.followup;

import io.cartrecovery.config.JobSettings;
import io.cartrecovery.detection.CartClosed;
import io.cartrecovery.enrich.EnrichedCart;
import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.EventType;
import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.outcomes.ParsedOutcome;
import io.cartrecovery.serialization.KeyTypes;
import io.cartrecovery.tasks.ContactTask;
import java.math.BigDecimal;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/** The follow-up part of the job graph: outcomes routed to customers, then the cadence. */
public final class FollowUps {
    private FollowUps() {}

    /**
     * What the follow-up produces.
     *
     * @param tasks every contact task: creates of attempts 1..n and their cancels
     * @param events every change of a task's life
     * @param deadLetters malformed, unknown and duplicate outcomes
     */
    public record Streams(
            DataStream<ContactTask> tasks,
            DataStream<TaskEvent> events,
            DataStream<Recovery> recoveries,
            DataStream<HoldoutMembership> holdout,
            DataStream<AttemptFact> attempts,
            DataStream<DeadLetter> deadLetters) {}

    /**
     * @param decided abandoned carts after enrichment, with their contact decision
     * @param closed reported carts bought or emptied (the cart tracker's side output)
     * @param valid the validated clickstream, for purchases by customer
     * @param outcomes parsed outcome records with event time assigned
     */
    public static Streams build(
            DataStream<EnrichedCart> decided,
            DataStream<CartClosed> closed,
            DataStream<ClickEvent> valid,
            DataStream<ParsedOutcome> outcomes,
            JobSettings settings) {
        DataStream<DeadLetter> malformed =
                outcomes.flatMap(
                                (FlatMapFunction<ParsedOutcome, DeadLetter>)
                                        (parsed, out) -> {
                                            if (parsed.deadLetter() != null) {
                                                out.collect(parsed.deadLetter());
                                            }
                                        })
                        .returns(DeadLetter.class)
                        .name("bad outcomes")
                        .uid("bad-outcomes");
        DataStream<ParsedOutcome> wellFormed =
                outcomes.filter(parsed -> parsed.outcome() != null)
                        .name("well-formed outcomes")
                        .uid("well-formed-outcomes");

        SingleOutputStreamOperator<FollowUpInput> routed =
                decided.keyBy(OutcomeRouter::cartKey, KeyTypes.CART)
                        .connect(wellFormed.keyBy(OutcomeRouter::cartKey, KeyTypes.CART))
                        .process(OutcomeRouter.of(settings.cadence()))
                        .name("route outcomes")
                        .uid(OutcomeRouter.UID);

        DataStream<FollowUpInput> carts =
                decided.map((MapFunction<EnrichedCart, FollowUpInput>) FollowUpInput::of)
                        .returns(FollowUpInput.class)
                        .name("carts to follow up")
                        .uid("follow-up-carts");
        DataStream<FollowUpInput> ends =
                closed.map((MapFunction<CartClosed, FollowUpInput>) FollowUpInput::of)
                        .returns(FollowUpInput.class)
                        .name("cart ends")
                        .uid("follow-up-cart-ends");
        DataStream<FollowUpInput> purchases =
                valid.flatMap(
                                (FlatMapFunction<ClickEvent, FollowUpInput>)
                                        (event, out) -> {
                                            if (event.type() == EventType.PURCHASE) {
                                                FollowUpInput input =
                                                        FollowUpInput.of(purchase(event));
                                                if (input != null) {
                                                    out.collect(input);
                                                }
                                            }
                                        })
                        .returns(TypeInformation.of(FollowUpInput.class))
                        .name("purchases by customer")
                        .uid("follow-up-purchases");

        SingleOutputStreamOperator<ContactTask> tasks =
                carts.union(ends, purchases, routed)
                        .keyBy(FollowUpInput::customer, KeyTypes.CUSTOMER)
                        .process(
                                new FollowUp(
                                        settings.cadence(),
                                        settings.firstContactSla(),
                                        settings.contactPolicy()))
                        .name("follow up")
                        .uid(FollowUp.UID);
        return new Streams(
                tasks,
                tasks.getSideOutput(FollowUp.TASK_EVENTS),
                tasks.getSideOutput(FollowUp.RECOVERIES),
                tasks.getSideOutput(FollowUp.HOLDOUT),
                tasks.getSideOutput(FollowUp.ATTEMPTS),
                malformed.union(
                        routed.getSideOutput(OutcomeRouter.UNKNOWN),
                        tasks.getSideOutput(FollowUp.DEAD_LETTERS)));
    }

    /** A purchase of the clickstream: it carries the order's value, the tracker's does not. */
    private static Purchase purchase(ClickEvent event) {
        BigDecimal total = BigDecimal.ZERO;
        for (CartLine line : event.items()) {
            total = total.add(line.lineTotal());
        }
        return new Purchase(
                event.storeId(),
                event.customerId(),
                event.cartId(),
                event.orderId(),
                event.eventTime(),
                total.signum() > 0 ? total : null,
                event.currency());
    }
}

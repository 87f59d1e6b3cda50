package io.cartrecovery.job;

import io.cartrecovery.assignment.Agent;
import io.cartrecovery.assignment.Alert;
import io.cartrecovery.assignment.Assigner;
import io.cartrecovery.assignment.Assignments;
import io.cartrecovery.assignment.ParsedAgent;
import io.cartrecovery.config.JobSettings;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.CartTracker;
import io.cartrecovery.detection.PurchaseFanOut;
import io.cartrecovery.detection.ReasonPatterns;
import io.cartrecovery.detection.ReasonSignal;
import io.cartrecovery.enrich.CartEnricher;
import io.cartrecovery.enrich.EnrichedCart;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.ingest.Deduplicator;
import io.cartrecovery.ingest.Ingested;
import io.cartrecovery.kpi.KpiMinute;
import io.cartrecovery.kpi.KpiStreams;
import io.cartrecovery.profiles.CustomerProfile;
import io.cartrecovery.profiles.ParsedProfile;
import io.cartrecovery.tasks.ContactTask;
import io.cartrecovery.tasks.TaskPlanner;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The detection job graph: ingest -> validate -> de-duplicate -> detect (CEP signals + cart
 * tracker) -> enrich with customer profiles, score and choose a channel -> plan tasks -> assign
 * calls to agents -> emit. It is handed its input and its sinks, so the Kafka job, the file replay
 * and the tests run the very same graph.
 */
public final class CartRecoveryJob {
    private CartRecoveryJob() {}

    /**
     * Where the job's results go.
     *
     * @param facts where the tasks, abandoned carts and KPI windows go for analytics, or null
     */
    public record Outputs(
            Sink<ContactTask> tasks,
            Sink<AbandonedCart> abandoned,
            Sink<DeadLetter> deadLetters,
            Facts facts,
            Sink<Alert> alerts) {

        /** The outputs without a facts store or alerts. */
        public Outputs(
                Sink<ContactTask> tasks,
                Sink<AbandonedCart> abandoned,
                Sink<DeadLetter> deadLetters) {
            this(tasks, abandoned, deadLetters, null, null);
        }

        public Outputs withFacts(Facts facts) {
            return new Outputs(tasks, abandoned, deadLetters, facts, alerts);
        }

        /** Where supervisor alerts go; without, they are not written. */
        public Outputs withAlerts(Sink<Alert> alerts) {
            return new Outputs(tasks, abandoned, deadLetters, facts, alerts);
        }
    }

    /**
     * Where customer profiles come from.
     *
     * @param updates parsed profile records (the compacted topic), with their dead letters
     * @param snapshot profiles known at start, by {@link CartEnricher#customerKey}
     */
    public record Profiles(
            DataStream<ParsedProfile> updates, Map<String, CustomerProfile> snapshot) {}

    /**
     * Who takes calls.
     *
     * @param updates parsed roster records (the compacted agents topic), with their dead letters
     * @param snapshot agents known at start
     */
    public record Agents(DataStream<ParsedAgent> updates, List<Agent> snapshot) {}

    /**
     * A second copy of the tasks and abandoned carts, for dashboards (e.g. ClickHouse), and the
     * per-minute KPI windows computed from them.
     */
    public record Facts(
            Sink<ContactTask> tasks, Sink<AbandonedCart> abandoned, Sink<KpiMinute> kpis) {}

    /**
     * Settings every run of the job needs. All stream types are Flink POJOs or records; turning off
     * generic types makes a Kryo fallback (slow, fragile across upgrades) fail the build's tests.
     */
    public static void configure(StreamExecutionEnvironment env) {
        Configuration config = new Configuration();
        config.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(config);
    }

    /**
     * @param ingested parsed records with event-time timestamps and watermarks assigned
     */
    public static void build(
            DataStream<Ingested> ingested,
            Profiles profiles,
            Agents agents,
            JobSettings settings,
            Outputs outputs) {
        SingleOutputStreamOperator<ClickEvent> valid =
                ingested.process(new ValidateEvents()).name("validate").uid("validate");

        DataStream<ClickEvent> unique =
                valid.flatMap(new PurchaseFanOut())
                        .name("purchase reaches visitor cart")
                        .uid("purchase-fan-out")
                        .keyBy(ClickEvent::cartKey)
                        .process(new Deduplicator(settings.dedupRetention()))
                        .name("deduplicate")
                        .uid(Deduplicator.UID);

        KeyedStream<ClickEvent, String> byCart = unique.keyBy(ClickEvent::cartKey);
        DataStream<ReasonSignal> signals = ReasonPatterns.signals(byCart, settings);

        SingleOutputStreamOperator<AbandonedCart> abandoned =
                byCart.connect(signals.keyBy(ReasonSignal::cartKey))
                        .process(new CartTracker(settings))
                        .name("detect abandonment")
                        .uid(CartTracker.UID);

        DataStream<CustomerProfile> profileUpdates =
                profiles.updates()
                        .flatMap(
                                (FlatMapFunction<ParsedProfile, CustomerProfile>)
                                        (parsed, out) -> {
                                            if (parsed.profile() != null) {
                                                out.collect(parsed.profile());
                                            }
                                        })
                        .returns(CustomerProfile.class)
                        .name("valid profiles")
                        .uid("valid-profiles");
        DataStream<DeadLetter> badProfiles =
                profiles.updates()
                        .flatMap(
                                (FlatMapFunction<ParsedProfile, DeadLetter>)
                                        (parsed, out) -> {
                                            if (parsed.deadLetter() != null) {
                                                out.collect(parsed.deadLetter());
                                            }
                                        })
                        .returns(DeadLetter.class)
                        .name("bad profiles")
                        .uid("bad-profiles");

        DataStream<EnrichedCart> enriched =
                abandoned
                        .keyBy(CartEnricher::customerKey)
                        .connect(profileUpdates.keyBy(CartEnricher::customerKey))
                        .process(new CartEnricher(settings, profiles.snapshot()))
                        .name("enrich carts")
                        .uid(CartEnricher.UID);
        DataStream<AbandonedCart> decided =
                enriched.map(EnrichedCart::cart)
                        .returns(AbandonedCart.class)
                        .name("decided carts")
                        .uid("decided-carts");

        DataStream<ContactTask> created =
                enriched.flatMap(TaskPlanner.firstAttempt(settings.scripts()))
                        .returns(ContactTask.class)
                        .name("plan task")
                        .uid("plan-task");
        DataStream<ContactTask> cancelled =
                abandoned
                        .getSideOutput(CartTracker.CLOSED)
                        .map(TaskPlanner.cancelFirstAttempt())
                        .returns(ContactTask.class)
                        .name("cancel task")
                        .uid("cancel-task");

        DataStream<ContactTask> tasks = created.union(cancelled);
        DataStream<Agent> roster =
                agents.updates()
                        .flatMap(
                                (FlatMapFunction<ParsedAgent, Agent>)
                                        (parsed, out) -> {
                                            if (parsed.agent() != null) {
                                                out.collect(parsed.agent());
                                            }
                                        })
                        .returns(Agent.class)
                        .name("valid agents")
                        .uid("valid-agents");
        DataStream<DeadLetter> badAgents =
                agents.updates()
                        .flatMap(
                                (FlatMapFunction<ParsedAgent, DeadLetter>)
                                        (parsed, out) -> {
                                            if (parsed.deadLetter() != null) {
                                                out.collect(parsed.deadLetter());
                                            }
                                        })
                        .returns(DeadLetter.class)
                        .name("bad agents")
                        .uid("bad-agents");
        // Releases from contact outcomes join here when the job reads them; cancels release too.
        SingleOutputStreamOperator<ContactTask> assigned =
                Assignments.assign(tasks, roster, null, settings.assignment(), agents.snapshot());
        assigned.sinkTo(outputs.tasks()).name("contact tasks").uid("sink-tasks");
        if (outputs.alerts() != null) {
            assigned.getSideOutput(Assigner.ALERTS)
                    .sinkTo(outputs.alerts())
                    .name("alerts")
                    .uid("sink-alerts");
        }
        decided.sinkTo(outputs.abandoned()).name("abandoned carts").uid("sink-abandoned");
        // The facts and KPIs take each task once, as planned: a queued call is written to the
        // tasks topic again when an agent takes it, and would count twice.
        if (outputs.facts() != null) {
            tasks.sinkTo(outputs.facts().tasks()).name("task facts").uid("facts-tasks");
            decided.sinkTo(outputs.facts().abandoned())
                    .name("abandoned cart facts")
                    .uid("facts-abandoned");
            // Carts are reported up to the longest gap after their last activity (and a late
            // event's cart when the event is read): the windows' watermark stays that far behind.
            KpiStreams.perMinute(
                            abandoned,
                            tasks,
                            settings.gaps().largest().plus(settings.outOfOrderness()))
                    .sinkTo(outputs.facts().kpis())
                    .name("kpi minutes")
                    .uid("facts-kpi-minute");
        }
        valid.getSideOutput(ValidateEvents.DEAD_LETTERS)
                .union(abandoned.getSideOutput(CartTracker.REJECTED), badProfiles, badAgents)
                .sinkTo(outputs.deadLetters())
                .name("dead letters")
                .uid("sink-dead-letters");
    }
}

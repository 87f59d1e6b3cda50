package io.cartrecovery.job;

import io.cartrecovery.assignment.Agent;
import io.cartrecovery.assignment.AgentRelease;
import io.cartrecovery.assignment.Assignments;
import io.cartrecovery.assignment.ParsedAgent;
import io.cartrecovery.config.JobSettings;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.CartClosed;
import io.cartrecovery.detection.CartTracker;
import io.cartrecovery.detection.PurchaseFanOut;
import io.cartrecovery.detection.ReasonPatterns;
import io.cartrecovery.detection.ReasonSignal;
import io.cartrecovery.enrich.CartEnricher;
import io.cartrecovery.enrich.EnrichedCart;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.followup.FollowUps;
import io.cartrecovery.followup.TaskEvent;
import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.ingest.Ingested;
import io.cartrecovery.ingest.PersonalDataMask;
import io.cartrecovery.keys.CustomerKey;
import io.cartrecovery.kpi.KpiStreams;
import io.cartrecovery.outcomes.ParsedOutcome;
import io.cartrecovery.priority.Mode;
import io.cartrecovery.profiles.CustomerProfile;
import io.cartrecovery.profiles.ParsedProfile;
import io.cartrecovery.serialization.ClickEventTypeInfoFactory;
import io.cartrecovery.serialization.KeyTypes;
import io.cartrecovery.sinks.Outputs;
import io.cartrecovery.tasks.ContactTask;
import io.cartrecovery.tasks.TaskContent;
import io.cartrecovery.tasks.TaskType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job graph: ingest -> validate -> de-duplicate -> detect (CEP signals + cart tracker) ->
 * enrich with customer profiles, score and choose a channel -> follow up (cadence, outcomes,
 * holdout, attribution, compliance and scripts per attempt) -> assign calls to agents -> emit. It
 * is handed its inputs and its sinks, so the Kafka job, the file replay and the tests run the very
 * same graph.
 */
public final class CartRecoveryJob {
    private CartRecoveryJob() {}

    /**
     * Where customer profiles come from.
     *
     * @param updates parsed profile records (the compacted topic), with their dead letters
     * @param snapshot profiles known at start, by {@link CartEnricher#customerKey}
     */
    public record Profiles(
            DataStream<ParsedProfile> updates, Map<CustomerKey, CustomerProfile> snapshot) {}

    /**
     * Who takes calls.
     *
     * @param updates parsed roster records (the compacted agents topic), with their dead letters
     * @param snapshot agents known at start
     */
    public record Agents(DataStream<ParsedAgent> updates, List<Agent> snapshot) {}

    /**
     * Key groups of all keyed state, unless {@code pipeline.max-parallelism} says otherwise: the
     * most subtasks any keyed operator can ever be spread over. It is fixed by the first checkpoint
     * (state cannot be restored under another), and Flink's default depends on the first run's
     * parallelism (128 below 86), so it is set: 1,024 covers the largest deployment sized in
     * docs/PERFORMANCE.md (400-600 slots) with room, at a small cost per key group (docs/state.md).
     */
    public static final int MAX_PARALLELISM = 1024;

    /**
     * Settings every run of the job needs. All stream types are Flink POJOs or records; turning off
     * generic types makes a Kryo fallback (slow, fragile across upgrades) fail the build's tests.
     *
     * <p>Object reuse: without it every record handed to a chained operator is first deep-copied
     * through its serializer, once per chained consumer (the CEP operators share the
     * de-duplicator's output). It is safe here because every stream type is an immutable record
     * whose collections are unmodifiable (the parsers build them with {@code List.copyOf}), no
     * function changes its input or emits the same instance twice, and whatever keeps an input in
     * keyed state (the tracker's held events, CEP's buffers) keeps an immutable value. A mutable
     * stream type, or a function that reuses its output object, would break this.
     */
    public static void configure(StreamExecutionEnvironment env) {
        if (env.getMaxParallelism() <= 0) {
            env.setMaxParallelism(MAX_PARALLELISM);
        }
        Configuration config = new Configuration();
        config.set(PipelineOptions.GENERIC_TYPES, false);
        // Flink keeps the factories this setting names in one table per JVM (per class loader of
        // the job's classes) and refuses a second entry for a type: a second job built in the same
        // JVM (the demo, tests) leaves it out.
        if (!ClickEventTypeInfoFactory.registered()) {
            config.set(
                    PipelineOptions.SERIALIZATION_CONFIG,
                    List.of(ClickEventTypeInfoFactory.SERIALIZATION_CONFIG));
        }
        config.set(PipelineOptions.OBJECT_REUSE, true);
        env.configure(config);
    }

    /**
     * @param ingested parsed records with event-time timestamps and watermarks assigned
     * @param outcomes parsed contact-outcome records with event time and watermarks assigned
     */
    public static void build(
            DataStream<Ingested> ingested,
            Profiles profiles,
            Agents agents,
            DataStream<ParsedOutcome> outcomes,
            JobSettings settings,
            Outputs outputs) {
        // The Kafka sources say "active" ahead of their records after an idle spell themselves
        // (NotingKafkaSource): no operator's watermark passes records still in flight.
        SingleOutputStreamOperator<ClickEvent> valid =
                ingested.process(new ValidateEvents()).name("validate").uid("validate");

        DataStream<ClickEvent> events =
                valid.flatMap(new PurchaseFanOut())
                        .name("purchase reaches visitor cart")
                        .uid("purchase-fan-out");
        // The tracker de-duplicates the events itself; the CEP patterns get the few event types
        // they read, de-duplicated on their own path (ReasonPatterns.signals).
        DataStream<ReasonSignal> signals = ReasonPatterns.signals(events, settings);

        SingleOutputStreamOperator<AbandonedCart> abandoned =
                events.keyBy(ClickEvent::trackedCart, KeyTypes.TRACKED_CART)
                        .connect(signals.keyBy(ReasonSignal::cart, KeyTypes.TRACKED_CART))
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
                        .keyBy(CartEnricher::customerKey, KeyTypes.CUSTOMER)
                        .connect(profileUpdates.keyBy(CartEnricher::customerKey, KeyTypes.CUSTOMER))
                        .process(new CartEnricher(settings, profiles.snapshot()))
                        .name("enrich carts")
                        .uid(CartEnricher.UID);
        DataStream<AbandonedCart> decided =
                enriched.map(EnrichedCart::cart)
                        .returns(AbandonedCart.class)
                        .name("decided carts")
                        .uid("decided-carts");

        FollowUps.Streams followUp =
                FollowUps.build(
                        enriched,
                        abandoned.getSideOutput(CartTracker.CLOSED),
                        valid,
                        outcomes,
                        settings);

        // Every task the job makes: attempts 1..n and their cancels; calls then get an agent.
        DataStream<ContactTask> tasks = followUp.tasks();
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
        // An outcome of a call means the call was made: the agent is free again. Cancels release
        // too. Outcomes of messages concern no agent and stay away from the one-key assigner.
        DataStream<AgentRelease> releases =
                outcomes.flatMap(
                                (FlatMapFunction<ParsedOutcome, AgentRelease>)
                                        (parsed, out) -> {
                                            if (parsed.outcome() != null
                                                    && parsed.outcome().channel().mode()
                                                            == Mode.AGENT) {
                                                out.collect(
                                                        new AgentRelease(
                                                                parsed.outcome().taskId(),
                                                                parsed.outcome().time(),
                                                                parsed.outcome()
                                                                        .outcome()
                                                                        .wireName()));
                                            }
                                        })
                        .returns(AgentRelease.class)
                        .name("agent releases")
                        .uid("agent-releases");
        Assignments.Assigned assigned =
                Assignments.assign(
                        tasks, roster, releases, settings.assignment(), agents.snapshot());
        assigned.tasks()
                .map(new TaskContent(settings.scripts()))
                .name("render scripts")
                .uid("render-scripts")
                .sinkTo(outputs.tasks())
                .name("contact tasks")
                .uid("sink-tasks");
        if (outputs.alerts() != null) {
            assigned.alerts().sinkTo(outputs.alerts()).name("alerts").uid("sink-alerts");
        }
        decided.sinkTo(outputs.abandoned()).name("abandoned carts").uid("sink-abandoned");
        followUp.events()
                .union(
                        assigned.assignments()
                                .map(AssignmentEvents::taskEvent)
                                .returns(TaskEvent.class)
                                .name("assignment events")
                                .uid("assignment-events"))
                .sinkTo(outputs.taskEvents())
                .name("task events")
                .uid("sink-task-events");
        // The facts and KPIs take each task once, as planned: a queued call is written to the
        // tasks topic again when an agent takes it, and would count twice.
        if (outputs.facts() != null) {
            tasks.sinkTo(outputs.facts().tasks()).name("task facts").uid("facts-tasks");
            decided.sinkTo(outputs.facts().abandoned())
                    .name("abandoned cart facts")
                    .uid("facts-abandoned");
            followUp.attempts()
                    .sinkTo(outputs.facts().attempts())
                    .name("contact attempt facts")
                    .uid("facts-attempts");
            followUp.recoveries()
                    .sinkTo(outputs.facts().recoveries())
                    .name("recovery facts")
                    .uid("facts-recoveries");
            followUp.holdout()
                    .sinkTo(outputs.facts().holdout())
                    .name("holdout facts")
                    .uid("facts-holdout");
            assigned.alerts()
                    .sinkTo(outputs.facts().alerts())
                    .name("alert facts")
                    .uid("facts-alerts");
            // Per-minute totals, corrected by every record that comes within kpi.retention of
            // its minute's end, however far behind the watermark: dialer outcomes reported late,
            // records in flight when a quiet source wakes up (docs/clickhouse.md, "KPI windows").
            Duration retention = settings.kpiRetention();
            KpiStreams.perMinute(
                            abandoned,
                            tasks.filter(CartRecoveryJob::countsInKpis)
                                    .name("kpi tasks")
                                    .uid("kpi-tasks"),
                            abandoned.getSideOutput(CartTracker.OPENED),
                            retention)
                    .sinkTo(outputs.facts().kpis())
                    .name("kpi minutes")
                    .uid("facts-kpi-minute");
            KpiStreams.contactsPerMinute(
                            followUp.attempts(),
                            followUp.recoveries(),
                            followUp.holdout(),
                            retention,
                            settings.taskRetention())
                    .sinkTo(outputs.facts().contactKpis())
                    .name("contact kpi minutes")
                    .uid("facts-contact-kpi-minute");
            KpiStreams.alertsPerMinute(assigned.alerts(), retention)
                    .sinkTo(outputs.facts().alertKpis())
                    .name("alert kpi minutes")
                    .uid("facts-alert-kpi-minute");
        }
        DataStream<DeadLetter> deadLetters =
                valid.getSideOutput(ValidateEvents.DEAD_LETTERS)
                        .union(
                                abandoned.getSideOutput(CartTracker.REJECTED),
                                badProfiles,
                                badAgents,
                                followUp.deadLetters());
        if (settings.maskPersonalDataInDeadLetters()) {
            deadLetters =
                    deadLetters
                            .map(PersonalDataMask::apply)
                            .returns(DeadLetter.class)
                            .name("mask personal data")
                            .uid("mask-personal-data");
        }
        deadLetters.sinkTo(outputs.deadLetters()).name("dead letters").uid("sink-dead-letters");
    }

    /**
     * The cart KPI minutes count the tasks of a cart's abandonment: the first attempt's create,
     * when the cart's gap ran out, and the cancel a purchase or emptying caused. Follow-up attempts
     * and expiries are the follow-up's, counted as attempts in the contact minutes.
     */
    private static boolean countsInKpis(ContactTask task) {
        return task.type() == TaskType.CREATE
                ? task.attempt() == 1
                : task.closed().cause() == CartClosed.Cause.PURCHASED
                        || task.closed().cause() == CartClosed.Cause.EMPTIED;
    }
}

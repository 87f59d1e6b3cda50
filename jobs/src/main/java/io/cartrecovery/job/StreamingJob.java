package io.cartrecovery.job;

import io.cartrecovery.assignment.ParsedAgent;
import io.cartrecovery.clickhouse.ClickHouseFacts;
import io.cartrecovery.config.ClickHouseSettings;
import io.cartrecovery.config.Configs;
import io.cartrecovery.config.DeliveryOptions;
import io.cartrecovery.config.JobSettings;
import io.cartrecovery.ingest.IngestWatermarks;
import io.cartrecovery.ingest.NotingKafkaSource;
import io.cartrecovery.ingest.ReferenceWatermarks;
import io.cartrecovery.outcomes.OutcomeWatermarks;
import io.cartrecovery.profiles.ParsedProfile;
import io.cartrecovery.sinks.KafkaConnectors;
import io.cartrecovery.sinks.Outputs;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The production job: clickstream, customer-profile, agents and contact-outcome topics in; contact
 * tasks, task events, abandoned carts, alerts and dead letters out; facts into ClickHouse as well
 * when it is configured.
 */
public final class StreamingJob {
    public static final String NAME = "cart-recovery-detection";

    private StreamingJob() {}

    /** Builds the job on {@code env} with the Kafka connectors the configuration names. */
    public static void build(StreamExecutionEnvironment env, Configuration config) {
        JobSettings settings = JobSettings.from(config);
        env.configure(config);
        CartRecoveryJob.configure(env);
        env.enableCheckpointing(
                Configs.get(config, DeliveryOptions.CHECKPOINT_INTERVAL).toMillis(),
                CheckpointingMode.EXACTLY_ONCE);
        CartRecoveryJob.build(
                env.fromSource(
                                new NotingKafkaSource<>(
                                        KafkaConnectors.clickstream(config, settings)),
                                IngestWatermarks.strategy(
                                        settings.outOfOrderness(),
                                        settings.maxEventTimeStep(),
                                        settings.idleTimeout(),
                                        KafkaConnectors.catchUps(config)),
                                "clickstream")
                        .uid("source-clickstream"),
                new CartRecoveryJob.Profiles(
                        env.fromSource(
                                        NotingKafkaSource.referenceData(
                                                KafkaConnectors.profiles(config)),
                                        ReferenceWatermarks.readOnce(
                                                ParsedProfile::position,
                                                KafkaConnectors.catchUps(config)),
                                        "customer profiles")
                                .uid("source-customer-profiles")
                                // One reader: one never given a partition would hold event time.
                                .setParallelism(1),
                        Map.of()),
                new CartRecoveryJob.Agents(
                        env.fromSource(
                                        NotingKafkaSource.referenceData(
                                                KafkaConnectors.agents(config)),
                                        ReferenceWatermarks.readOnce(
                                                ParsedAgent::position,
                                                KafkaConnectors.catchUps(config)),
                                        "agents")
                                .uid("source-agents")
                                .setParallelism(1),
                        List.of()),
                env.fromSource(
                                new NotingKafkaSource<>(KafkaConnectors.outcomes(config)),
                                OutcomeWatermarks.strategy(
                                        settings.outOfOrderness(),
                                        settings.idleTimeout(),
                                        KafkaConnectors.catchUps(config)),
                                "contact outcomes")
                        .uid("source-contact-outcomes"),
                settings,
                outputs(config));
    }

    /** The Kafka topics, and ClickHouse too when {@code clickhouse.url} is set. */
    private static Outputs outputs(Configuration config) {
        Outputs kafka = KafkaConnectors.outputs(config);
        return ClickHouseSettings.from(config)
                .map(clickhouse -> kafka.withFacts(ClickHouseFacts.sinks(clickhouse)))
                .orElse(kafka);
    }

    /** Submits the job and returns at once; the client can wait for or cancel it. */
    public static JobClient start(StreamExecutionEnvironment env, Configuration config)
            throws Exception {
        build(env, config);
        return env.executeAsync(NAME);
    }
}

package io.cartrecovery.sinks;

import io.cartrecovery.assignment.Alert;
import io.cartrecovery.assignment.KafkaAgentDeserializer;
import io.cartrecovery.assignment.ParsedAgent;
import io.cartrecovery.config.Configs;
import io.cartrecovery.config.DeliveryOptions;
import io.cartrecovery.config.JobSettings;
import io.cartrecovery.config.KafkaClientProperties;
import io.cartrecovery.config.KafkaOptions;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.followup.TaskEvent;
import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.ingest.IdleWhenCaughtUp;
import io.cartrecovery.ingest.Ingested;
import io.cartrecovery.ingest.Ingestion;
import io.cartrecovery.ingest.KafkaCatchUp;
import io.cartrecovery.ingest.KafkaClickstreamDeserializer;
import io.cartrecovery.outcomes.KafkaOutcomeDeserializer;
import io.cartrecovery.outcomes.ParsedOutcome;
import io.cartrecovery.profiles.KafkaProfileDeserializer;
import io.cartrecovery.profiles.ParsedProfile;
import io.cartrecovery.tasks.ContactTask;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The production connectors: the clickstream, profile, agent and outcome sources and the output
 * topics.
 */
public final class KafkaConnectors {
    private KafkaConnectors() {}

    public static KafkaSource<Ingested> clickstream(ReadableConfig config, JobSettings settings) {
        return KafkaSource.<Ingested>builder()
                .setProperties(KafkaClientProperties.from(config))
                .setBootstrapServers(Configs.get(config, KafkaOptions.BOOTSTRAP_SERVERS))
                .setTopics(Configs.get(config, KafkaOptions.CLICKSTREAM_TOPIC))
                .setGroupId(Configs.get(config, KafkaOptions.GROUP_ID))
                .setStartingOffsets(startingOffsets(config))
                .setDeserializer(new KafkaClickstreamDeserializer(Ingestion.from(settings)))
                .build();
    }

    /**
     * Whether a quiet partition of the job's topics has been read to its end, asked of the brokers
     * with the sources' client properties: a partition is idle only then ({@link
     * io.cartrecovery.ingest.PartitionIdleness}).
     */
    public static IdleWhenCaughtUp.CatchUps catchUps(ReadableConfig config) {
        Map<String, String> client = new HashMap<>();
        KafkaClientProperties.from(config)
                .forEach((k, v) -> client.put(String.valueOf(k), String.valueOf(v)));
        client.put("bootstrap.servers", Configs.get(config, KafkaOptions.BOOTSTRAP_SERVERS));
        return () -> KafkaCatchUp.shared(client);
    }

    /**
     * The dialers' outcomes, from the same starting offsets as the clickstream: both drive the
     * cadence in event time.
     */
    public static KafkaSource<ParsedOutcome> outcomes(ReadableConfig config) {
        return KafkaSource.<ParsedOutcome>builder()
                .setProperties(KafkaClientProperties.from(config))
                .setBootstrapServers(Configs.get(config, KafkaOptions.BOOTSTRAP_SERVERS))
                .setTopics(Configs.get(config, KafkaOptions.CONTACT_OUTCOMES_TOPIC))
                .setGroupId(Configs.get(config, KafkaOptions.GROUP_ID))
                .setStartingOffsets(startingOffsets(config))
                .setDeserializer(new KafkaOutcomeDeserializer())
                .build();
    }

    // The connector's committedOffsets() only takes Kafka's deprecated OffsetResetStrategy.
    @SuppressWarnings("deprecation")
    private static OffsetsInitializer startingOffsets(ReadableConfig config) {
        return switch (Configs.get(config, KafkaOptions.STARTING_OFFSETS)) {
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
        };
    }

    /**
     * The compacted profiles topic, always from its earliest offset on a fresh start: enrichment
     * needs every customer's latest profile, not only the ones that change after the job starts. A
     * restore continues from its checkpointed offsets with the profiles already in state.
     */
    public static KafkaSource<ParsedProfile> profiles(ReadableConfig config) {
        return KafkaSource.<ParsedProfile>builder()
                .setProperties(KafkaClientProperties.from(config))
                .setBootstrapServers(Configs.get(config, KafkaOptions.BOOTSTRAP_SERVERS))
                .setTopics(Configs.get(config, KafkaOptions.CUSTOMER_PROFILES_TOPIC))
                .setGroupId(Configs.get(config, KafkaOptions.GROUP_ID))
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new KafkaProfileDeserializer())
                .build();
    }

    /**
     * The compacted agents topic, from its earliest offset on a fresh start for the same reason as
     * {@link #profiles}: assignment needs the whole roster.
     */
    public static KafkaSource<ParsedAgent> agents(ReadableConfig config) {
        return KafkaSource.<ParsedAgent>builder()
                .setProperties(KafkaClientProperties.from(config))
                .setBootstrapServers(Configs.get(config, KafkaOptions.BOOTSTRAP_SERVERS))
                .setTopics(Configs.get(config, KafkaOptions.AGENTS_TOPIC))
                .setGroupId(Configs.get(config, KafkaOptions.GROUP_ID))
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new KafkaAgentDeserializer())
                .build();
    }

    public static Outputs outputs(ReadableConfig config) {
        return baseOutputs(config)
                .withAlerts(
                        sink(
                                config,
                                "alerts",
                                new JsonKafkaSerializer<Alert>(
                                        Configs.get(config, KafkaOptions.ALERTS_TOPIC),
                                        Alert::alertId,
                                        OutputFormats::alert)));
    }

    private static Outputs baseOutputs(ReadableConfig config) {
        return new Outputs(
                sink(
                        config,
                        "tasks",
                        new JsonKafkaSerializer<>(
                                Configs.get(config, KafkaOptions.CONTACT_TASKS_TOPIC),
                                ContactTask::cartId,
                                OutputFormats::task)),
                sink(
                        config,
                        "abandoned",
                        new JsonKafkaSerializer<AbandonedCart>(
                                Configs.get(config, KafkaOptions.ABANDONED_CARTS_TOPIC),
                                AbandonedCart::cartId,
                                OutputFormats::abandoned)),
                sink(
                        config,
                        "dlq",
                        new JsonKafkaSerializer<DeadLetter>(
                                Configs.get(config, KafkaOptions.DEAD_LETTER_TOPIC),
                                letter -> null,
                                OutputFormats::deadLetter)),
                sink(
                        config,
                        "task-events",
                        new JsonKafkaSerializer<TaskEvent>(
                                Configs.get(config, KafkaOptions.TASK_EVENTS_TOPIC),
                                TaskEvent::cartId,
                                OutputFormats::taskEvent)));
    }

    private static <T> KafkaSink<T> sink(
            ReadableConfig config, String name, KafkaRecordSerializationSchema<T> serializer) {
        boolean exactlyOnce =
                Configs.get(config, DeliveryOptions.GUARANTEE)
                        == DeliveryOptions.Guarantee.EXACTLY_ONCE;
        Properties producer = KafkaClientProperties.from(config);
        // Under the brokers' transaction.max.timeout.ms, or every transaction is refused and the
        // job restarts in a loop without a WARN line.
        producer.setProperty(
                "transaction.timeout.ms",
                String.valueOf(
                        Configs.get(config, DeliveryOptions.TRANSACTION_TIMEOUT).toMillis()));
        producer.setProperty("enable.idempotence", "true");
        return KafkaSink.<T>builder()
                .setBootstrapServers(Configs.get(config, KafkaOptions.BOOTSTRAP_SERVERS))
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(
                        exactlyOnce
                                ? DeliveryGuarantee.EXACTLY_ONCE
                                : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix(
                        Configs.get(config, DeliveryOptions.TRANSACTIONAL_ID_PREFIX) + "-" + name)
                .setKafkaProducerConfig(producer)
                .build();
    }
}

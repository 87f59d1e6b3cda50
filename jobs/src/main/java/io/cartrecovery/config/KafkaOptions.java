package io.cartrecovery.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Where the job reads and writes: brokers and topic names. */
public final class KafkaOptions {
    private KafkaOptions() {}

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("kafka.bootstrap-servers")
                    .stringType()
                    .defaultValue("localhost:9092")
                    .withDescription("Kafka brokers, host:port[,host:port...].");

    public static final ConfigOption<String> PROPERTIES_FILE =
            ConfigOptions.key("kafka.properties-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "A Java properties file of Kafka client settings for every client of"
                                    + " the job (sources, sinks, the topic check): security,"
                                    + " e.g. security.protocol=SASL_SSL, sasl.mechanism=SCRAM-SHA-512,"
                                    + " sasl.jaas.config=..., ssl.truststore.location=... Read when"
                                    + " the job is built; the place for credentials. Single"
                                    + " settings may also be given as kafka.properties.NAME=VALUE"
                                    + " (they win over the file), but not credentials on the"
                                    + " command line. The settings the job owns (bootstrap.servers,"
                                    + " group.id, transactional.id, isolation.level, serializers)"
                                    + " are refused there (docs/security.md).");

    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("kafka.group-id")
                    .stringType()
                    .defaultValue("cart-recovery")
                    .withDescription("Consumer group of the clickstream source.");

    public static final ConfigOption<StartingOffsets> STARTING_OFFSETS =
            ConfigOptions.key("kafka.starting-offsets")
                    .enumType(StartingOffsets.class)
                    .defaultValue(StartingOffsets.COMMITTED)
                    .withDescription(
                            "Where a new job starts reading: COMMITTED (the group's offsets, else"
                                    + " earliest), EARLIEST or LATEST. A restore from a checkpoint"
                                    + " or savepoint always continues where it left off.");

    public static final ConfigOption<String> CLICKSTREAM_TOPIC =
            ConfigOptions.key("topic.clickstream")
                    .stringType()
                    .defaultValue("clickstream")
                    .withDescription("Topic of raw clickstream events (JSON).");

    public static final ConfigOption<String> CUSTOMER_PROFILES_TOPIC =
            ConfigOptions.key("topic.customer-profiles")
                    .stringType()
                    .defaultValue("customer-profiles")
                    .withDescription(
                            "Compacted topic of customer profiles (JSON), keyed by"
                                    + " store_id/customer_id (docs/profiles.md).");

    public static final ConfigOption<String> AGENTS_TOPIC =
            ConfigOptions.key("topic.agents")
                    .stringType()
                    .defaultValue("agents")
                    .withDescription(
                            "Compacted topic of the agents roster (JSON), keyed by agent_id"
                                    + " (docs/assignment.md).");

    public static final ConfigOption<String> ALERTS_TOPIC =
            ConfigOptions.key("topic.alerts")
                    .stringType()
                    .defaultValue("alerts")
                    .withDescription(
                            "Topic of supervisor alerts: SLA at risk or breached, agent over"
                                    + " capacity, queue growing (schemas/alert.schema.json).");

    public static final ConfigOption<String> CONTACT_TASKS_TOPIC =
            ConfigOptions.key("topic.contact-tasks")
                    .stringType()
                    .defaultValue("contact-tasks")
                    .withDescription(
                            "Topic of contact tasks for dialers, keyed by cart id"
                                    + " (schemas/contact-task.schema.json).");

    public static final ConfigOption<String> CONTACT_OUTCOMES_TOPIC =
            ConfigOptions.key("topic.contact-outcomes")
                    .stringType()
                    .defaultValue("contact-outcomes")
                    .withDescription(
                            "Topic of what each contact attempt achieved, from dialers and"
                                    + " messaging systems (docs/outcomes.md,"
                                    + " schemas/contact-outcome.schema.json).");

    public static final ConfigOption<String> TASK_EVENTS_TOPIC =
            ConfigOptions.key("topic.task-events")
                    .stringType()
                    .defaultValue("task-events")
                    .withDescription(
                            "Topic of every change of a contact task's life, keyed by cart id"
                                    + " (schemas/task-event.schema.json).");

    public static final ConfigOption<String> ABANDONED_CARTS_TOPIC =
            ConfigOptions.key("topic.abandoned-carts")
                    .stringType()
                    .defaultValue("abandoned-carts")
                    .withDescription("Topic of abandoned-cart facts, keyed by cart id.");

    public static final ConfigOption<String> DEAD_LETTER_TOPIC =
            ConfigOptions.key("topic.dead-letter")
                    .stringType()
                    .defaultValue("clickstream-dlq")
                    .withDescription(
                            "Topic of rejected records with raw payload, reason and source"
                                    + " position (schemas/dead-letter.schema.json).");

    /** Where a job without checkpointed offsets starts. */
    public enum StartingOffsets {
        COMMITTED,
        EARLIEST,
        LATEST
    }
}

package io.cartrecovery.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Delivery guarantees of the output topics, and the checkpointing they rest on. */
public final class DeliveryOptions {
    private DeliveryOptions() {}

    public static final ConfigOption<Guarantee> GUARANTEE =
            ConfigOptions.key("delivery.guarantee")
                    .enumType(Guarantee.class)
                    .defaultValue(Guarantee.EXACTLY_ONCE)
                    .withDescription(
                            "EXACTLY_ONCE: outputs are Kafka transactions committed at each"
                                    + " checkpoint (consumers read with"
                                    + " isolation.level=read_committed). AT_LEAST_ONCE: written"
                                    + " at once, lower latency; a restart may repeat a task, with"
                                    + " the same task_id.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOptions.key("delivery.checkpoint-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "Checkpoint interval; with EXACTLY_ONCE also how often outputs become"
                                    + " visible.");

    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
            ConfigOptions.key("delivery.transaction-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "Producer transaction.timeout.ms. Must stay under the brokers'"
                                    + " transaction.max.timeout.ms (15 min by default), or every"
                                    + " transaction is refused and the job restarts forever.");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("delivery.transactional-id-prefix")
                    .stringType()
                    .defaultValue("cart-recovery")
                    .withDescription(
                            "Prefix of the Kafka transactional ids; unique per job on a"
                                    + " cluster.");

    /** Which delivery guarantee the output topics get. */
    public enum Guarantee {
        EXACTLY_ONCE,
        AT_LEAST_ONCE
    }
}

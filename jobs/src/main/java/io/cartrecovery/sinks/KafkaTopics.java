package io.cartrecovery.sinks;

import io.cartrecovery.config.Configs;
import io.cartrecovery.config.KafkaClientProperties;
import io.cartrecovery.config.KafkaOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.kafka.clients.admin.Admin;

/**
 * Checks before a run that every topic the job reads or writes exists. Without this, a missing
 * topic makes the job restart over and over while it logs nothing at WARN.
 */
public final class KafkaTopics {
    private KafkaTopics() {}

    /** Every topic setting of the job, inputs first. */
    public static final List<ConfigOption<String>> ALL =
            List.of(
                    KafkaOptions.CLICKSTREAM_TOPIC,
                    KafkaOptions.CUSTOMER_PROFILES_TOPIC,
                    KafkaOptions.AGENTS_TOPIC,
                    KafkaOptions.CONTACT_OUTCOMES_TOPIC,
                    KafkaOptions.CONTACT_TASKS_TOPIC,
                    KafkaOptions.TASK_EVENTS_TOPIC,
                    KafkaOptions.ABANDONED_CARTS_TOPIC,
                    KafkaOptions.ALERTS_TOPIC,
                    KafkaOptions.DEAD_LETTER_TOPIC);

    /**
     * @return the problems, one line each, naming the topic and its setting; empty when all exist
     * @throws IllegalStateException when Kafka cannot be reached within {@code timeout}
     */
    public static List<String> missing(ReadableConfig config, Duration timeout)
            throws InterruptedException {
        String servers = Configs.get(config, KafkaOptions.BOOTSTRAP_SERVERS);
        int millis = Math.toIntExact(timeout.toMillis());
        Set<String> existing;
        try (Admin admin =
                Admin.create(
                        KafkaClientProperties.with(
                                KafkaClientProperties.from(config),
                                Map.of(
                                        "bootstrap.servers", servers,
                                        "request.timeout.ms", millis,
                                        "default.api.timeout.ms", millis)))) {
            existing = admin.listTopics().names().get(millis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "cannot list the topics at "
                            + servers
                            + " within "
                            + timeout.toSeconds()
                            + " s",
                    e);
        }
        List<String> problems = new ArrayList<>();
        for (ConfigOption<String> option : ALL) {
            String topic = Configs.get(config, option);
            if (!existing.contains(topic)) {
                problems.add(
                        "topic '"
                                + topic
                                + "' ("
                                + option.key()
                                + ") does not exist at "
                                + servers);
            }
        }
        return problems;
    }
}

package io.cartrecovery.config;

import io.cartrecovery.assignment.AssignmentSettings;
import io.cartrecovery.settings.ConfigException;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/** How calls are handed to agents and when supervisors are alerted (docs/assignment.md). */
public final class AssignmentOptions {
    private AssignmentOptions() {}

    public static final ConfigOption<Duration> SLA_RISK_MARGIN =
            ConfigOptions.key("assignment.sla-risk-margin")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "A call still unassigned, or assigned with no outcome, this long before"
                                    + " its due_by raises an sla_at_risk alert (event time). A"
                                    + " call queued later than that alerts at once.");

    public static final ConfigOption<Integer> QUEUE_ALERT_SIZE =
            ConfigOptions.key("assignment.queue-alert-size")
                    .intType()
                    .defaultValue(20)
                    .withDescription(
                            "A queue_growing alert when the unassigned queue grows above this many"
                                    + " calls; it alerts again after the queue fell back to it.");

    public static final ConfigOption<Duration> FORGET_AFTER =
            ConfigOptions.key("assignment.forget-after")
                    .durationType()
                    .defaultValue(Duration.ofHours(24))
                    .withDescription(
                            "How long past its due_by a call waits in the unassigned queue, or"
                                    + " counts as its agent's open call without an outcome, before"
                                    + " the job lets it go (the queued call as an expired"
                                    + " assignment).");

    /**
     * The assignment rules' settings.
     *
     * @throws ConfigException naming the setting at fault
     */
    public static AssignmentSettings assignment(ReadableConfig config) {
        Duration margin = Configs.get(config, SLA_RISK_MARGIN);
        if (margin.isNegative()) {
            throw new ConfigException(
                    SLA_RISK_MARGIN.key() + " must be zero or more, got " + margin);
        }
        int size = Configs.get(config, QUEUE_ALERT_SIZE);
        if (size < 0) {
            throw new ConfigException(QUEUE_ALERT_SIZE.key() + " must be at least 0, got " + size);
        }
        Duration forget = Configs.get(config, FORGET_AFTER);
        if (forget.isNegative() || forget.isZero()) {
            throw new ConfigException(FORGET_AFTER.key() + " must be positive, got " + forget);
        }
        return new AssignmentSettings(margin, size, forget);
    }
}

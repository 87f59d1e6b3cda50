package io.cartrecovery.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

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
}

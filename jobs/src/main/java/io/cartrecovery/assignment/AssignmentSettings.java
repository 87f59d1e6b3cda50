package io.cartrecovery.assignment;

import io.cartrecovery.config.AssignmentOptions;
import io.cartrecovery.config.Configs;
import io.cartrecovery.settings.ConfigException;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The assignment rules' settings ({@link AssignmentOptions}).
 *
 * @param riskMargin before due_by, when an unfinished call is at risk
 * @param queueAlertSize the queue size above which queue_growing is raised
 * @param forgetAfter past due_by, when an unfinished call leaves the state
 */
public record AssignmentSettings(Duration riskMargin, int queueAlertSize, Duration forgetAfter)
        implements Serializable {

    public static AssignmentSettings from(ReadableConfig config) {
        Duration margin = Configs.get(config, AssignmentOptions.SLA_RISK_MARGIN);
        if (margin.isNegative()) {
            throw new ConfigException(
                    AssignmentOptions.SLA_RISK_MARGIN.key()
                            + " must be zero or more, got "
                            + margin);
        }
        int size = Configs.get(config, AssignmentOptions.QUEUE_ALERT_SIZE);
        if (size < 0) {
            throw new ConfigException(
                    AssignmentOptions.QUEUE_ALERT_SIZE.key() + " must be at least 0, got " + size);
        }
        Duration forget = Configs.get(config, AssignmentOptions.FORGET_AFTER);
        if (forget.isNegative() || forget.isZero()) {
            throw new ConfigException(
                    AssignmentOptions.FORGET_AFTER.key() + " must be positive, got " + forget);
        }
        return new AssignmentSettings(margin, size, forget);
    }
}

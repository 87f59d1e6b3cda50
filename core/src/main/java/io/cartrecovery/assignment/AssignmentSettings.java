package io.cartrecovery.assignment;

import java.io.Serializable;
import java.time.Duration;

/**
 * The assignment rules' settings (the jobs' {@code AssignmentOptions}).
 *
 * @param riskMargin before due_by, when an unfinished call is at risk
 * @param queueAlertSize the queue size above which queue_growing is raised
 * @param forgetAfter past due_by, when an unfinished call leaves the state
 */
public record AssignmentSettings(Duration riskMargin, int queueAlertSize, Duration forgetAfter)
        implements Serializable {}

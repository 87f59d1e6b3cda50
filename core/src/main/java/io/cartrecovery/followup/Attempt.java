package io.cartrecovery.followup;

import io.cartrecovery.priority.Channel;
import java.util.ArrayList;
import java.util.List;

/** One issued attempt in a cart's sequence (keyed state of {@link FollowUp}; a Flink POJO). */
public final class Attempt {
    /** Waiting for an outcome. */
    public static final String OPEN = "open";

    /** At least one outcome arrived. */
    public static final String ATTEMPTED = "attempted";

    public static final String EXPIRED = "expired";
    public static final String CANCELLED = "cancelled";

    public int number;
    public String taskId;
    public Channel channel;
    public long issuedAt;
    public long dueBy;

    /** No contact before this (epoch millis; the contact window or a cap), or null. */
    public Long notBefore;

    public String status = OPEN;

    /** Outcome codes received, in order; a code twice is a duplicate. */
    public List<String> outcomes = new ArrayList<>();

    public String agentId;
    public String objection;

    /** Event time the shopper was first reached, or null. */
    public Long reachedAt;

    public boolean responded;

    /**
     * Event time of the attempt's first outcome, or null: when the contact was actually made (the
     * call placed, the message sent), as opposed to issued.
     */
    public Long attemptedAt;

    public Long endedAt;

    public Attempt() {}

    /** When the attempt can first be made: its {@code not_before}, else its issue. */
    long contactAt() {
        return notBefore != null ? notBefore : issuedAt;
    }

    boolean open() {
        return OPEN.equals(status);
    }

    /** What the attempt fact's outcome column shows. */
    String factOutcome() {
        if (!outcomes.isEmpty()) {
            return outcomes.get(outcomes.size() - 1);
        }
        return open() ? "pending" : status;
    }
}

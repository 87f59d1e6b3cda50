package io.cartrecovery.followup;

import io.cartrecovery.enrich.EnrichedCart;
import io.cartrecovery.priority.Channel;
import java.util.ArrayList;
import java.util.List;

/**
 * The follow-up of one abandoned cart (keyed state of {@link FollowUp}; a Flink POJO): its
 * attempts, the next one planned, and how long a purchase still counts as its recovery.
 */
public final class CartSequence {
    /** No next attempt planned. */
    public static final long NONE = Long.MAX_VALUE;

    public EnrichedCart enriched;
    public boolean holdout;

    /** Event time the cart was detected (attempt 1, or the holdout decision). */
    public long startedAt;

    public List<Attempt> attempts = new ArrayList<>();

    /** When the next attempt is issued, or {@link #NONE}. */
    public long nextAt = NONE;

    /** The channel the next attempt asks for. */
    public Channel nextChannel;

    /** Why the next attempt is made: step, callback, fallback or reminder. */
    public String nextKind;

    /** After the next attempt (a reminder), no more. */
    public boolean lastPlanned;

    /** No more attempts: the sequence ended. */
    public boolean ended;

    public CartSequence() {}

    Attempt openAttempt() {
        for (Attempt attempt : attempts) {
            if (attempt.open()) {
                return attempt;
            }
        }
        return null;
    }

    Attempt attempt(String taskId) {
        for (Attempt attempt : attempts) {
            if (attempt.taskId.equals(taskId)) {
                return attempt;
            }
        }
        return null;
    }

    Attempt last() {
        return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
    }

    /**
     * How long attempt 1 waited between being issued and the moment it could first be made (the
     * contact window, a cap): every later step moves by as much ({@link Cadence#following}).
     */
    long firstWaitMillis() {
        if (attempts.isEmpty()) {
            return 0;
        }
        Attempt first = attempts.get(0);
        return Cadence.waited(first.issuedAt, first.notBefore);
    }

    /** The first attempt's contact moment, or the start while no attempt was issued. */
    long firstContactAt() {
        return attempts.isEmpty() ? startedAt : attempts.get(0).contactAt();
    }

    String storeId() {
        return enriched.cart().storeId();
    }

    String cartId() {
        return enriched.cart().cartId();
    }
}

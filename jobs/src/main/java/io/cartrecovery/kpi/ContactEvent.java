package io.cartrecovery.kpi;

import java.math.BigDecimal;

/**
 * One row of the contact KPI windows' input: a step of the follow-up that counts once.
 *
 * @param channel the attempt's channel wire name, or null (recoveries not credited to an attempt,
 *     holdout rows)
 * @param agentId the agent who made the attempt or is credited with the recovery, or null
 * @param type one of {@link #ATTEMPTED}, {@link #FIRST_CONTACT}, {@link #REACHED}, {@link
 *     #RESPONDED}, {@link #RECOVERED}, {@link #HOLDOUT_RECOVERED}, {@link #TREATED}, {@link
 *     #HELD_OUT}
 * @param currency of {@code value} (recoveries), or null
 * @param value the recovered value, exact (recoveries), or null
 * @param seconds from the cart's last activity to its first contact ({@link #FIRST_CONTACT}), or
 *     null
 * @param time event time, epoch millis
 */
public record ContactEvent(
        String storeId,
        String channel,
        String agentId,
        String type,
        String currency,
        BigDecimal value,
        Long seconds,
        long time) {

    /** An attempt was made: its first outcome. */
    public static final String ATTEMPTED = "attempted";

    /** The cart's first attempt made: its prospect was contacted for the first time. */
    public static final String FIRST_CONTACT = "first_contact";

    /** An attempt's first outcome that reached the shopper. */
    public static final String REACHED = "reached";

    /** An attempt's first outcome the shopper answered. */
    public static final String RESPONDED = "responded";

    /** A contacted-group cart bought within the attribution window. */
    public static final String RECOVERED = "recovered";

    /** A held-out cart bought within the attribution window: the natural baseline. */
    public static final String HOLDOUT_RECOVERED = "holdout_recovered";

    /** A contactable cart put in the contacted group. */
    public static final String TREATED = "treated";

    /** A contactable cart held out on purpose. */
    public static final String HELD_OUT = "held_out";
}

package io.cartrecovery.followup;

import io.cartrecovery.priority.Channel;
import io.cartrecovery.priority.ChannelChooser;
import io.cartrecovery.priority.Tier;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The follow-up settings, read and checked once (docs/followup.md).
 *
 * @param steps the configured steps, the first at offset 0, offsets strictly increasing
 * @param holdoutShare share of contactable carts held out, 0 to 0.5
 * @param attributionWindowMillis how long after an attempt a purchase counts as a recovery
 * @param attemptExpiryMillis how long the last attempt waits for an outcome
 * @param promiseReminderMillis delay of the reminder after promised_to_buy
 * @param horizonMillis no step is issued later than this after the first contact moment
 * @param blockRetentionMillis how long a customer's blocks outlive their last followed cart,
 *     counted from the latest outcome that set one
 */
public record Cadence(
        List<Step> steps,
        double holdoutShare,
        long attributionWindowMillis,
        long attemptExpiryMillis,
        long promiseReminderMillis,
        long horizonMillis,
        long blockRetentionMillis)
        implements Serializable {

    /**
     * A step to issue.
     *
     * @param at event time to issue it at
     * @param channel the channel it asks for
     */
    public record Next(long at, Channel channel) implements Serializable {}

    /** More steps than this is not a cadence but spam. */
    public static final int MAX_STEPS = 10;

    public Cadence {
        steps = List.copyOf(steps);
    }

    /**
     * The next step of a cart's cadence, counted in contactable time (docs/followup.md, "Cadence in
     * contactable time"). A step is issued at the latest of
     *
     * <ul>
     *   <li>{@code abandonedAt + offset + firstWaitMillis}: the cadence counts from the first
     *       contact moment, so the time attempt 1 waited for its {@code not_before} (a night, a
     *       closed day) moves every later step by as much;
     *   <li>the open attempt's {@code due_by}: an attempt is never withdrawn before its time to act
     *       is over (one waiting for a cap or the window holds the next step back);
     *   <li>the last follow-up's contact moment plus the cadence's {@link #shortestSpacingMillis}:
     *       a follow-up that waited, or was held back, never bunches with the next one;
     * </ul>
     *
     * and not at all when that is more than {@link #horizonMillis} after the first contact moment:
     * the cadence ends there. The first step is issued when the cart is decided, never by this.
     *
     * @param abandonedAt the cart's last activity, epoch millis
     * @param firstWaitMillis how long attempt 1 waited between being issued and its contact moment
     *     ({@link #waited}); 0 without attempt 1
     * @param firstContactAt attempt 1's contact moment ({@code not_before}, else its issue), or the
     *     start of the sequence without one
     * @param openDueBy the open attempt's {@code due_by}, or {@link Long#MIN_VALUE} without one
     * @param lastFollowUpContactAt the contact moment of the last attempt issued when it is a
     *     follow-up (attempt 2 or later), else {@link Long#MIN_VALUE}
     * @param after the step comes after this moment (the attempt just issued, a callback)
     * @return null: no step left
     */
    public Next following(
            long abandonedAt,
            long firstWaitMillis,
            long firstContactAt,
            long openDueBy,
            long lastFollowUpContactAt,
            long after) {
        long spaced =
                lastFollowUpContactAt == Long.MIN_VALUE
                        ? Long.MIN_VALUE
                        : lastFollowUpContactAt + shortestSpacingMillis();
        for (Step step : steps.subList(1, steps.size())) {
            long planned = abandonedAt + step.offsetMillis() + firstWaitMillis;
            if (planned <= after) {
                continue;
            }
            long at = Math.max(planned, Math.max(openDueBy, spaced));
            if (at - firstContactAt > horizonMillis) {
                return null;
            }
            return new Next(at, step.channel());
        }
        return null;
    }

    /** The shortest time between two consecutive steps (4 h by default); 0 with one step. */
    public long shortestSpacingMillis() {
        long shortest = Long.MAX_VALUE;
        for (int i = 1; i < steps.size(); i++) {
            shortest =
                    Math.min(
                            shortest,
                            steps.get(i).offsetMillis() - steps.get(i - 1).offsetMillis());
        }
        return shortest == Long.MAX_VALUE ? 0 : shortest;
    }

    /**
     * How long an attempt waited between being issued and the moment it could first be made: its
     * {@code not_before} minus its issue, 0 without one.
     */
    public static long waited(long issuedAt, Long notBefore) {
        return notBefore == null ? 0 : Math.max(0, notBefore - issuedAt);
    }

    /**
     * The channels a step asking for {@code requested} may use, in order: it and the cheaper ones
     * the cart's tier allows, without those an outcome took out of use. Consent and the details the
     * customer gave are the contact policy's to check.
     */
    public static List<Channel> channels(
            Tier tier, Channel requested, Collection<Channel> unusable) {
        List<Channel> channels = new ArrayList<>();
        for (Channel channel : ChannelChooser.order(tier)) {
            if (channel.ordinal() >= requested.ordinal() && !unusable.contains(channel)) {
                channels.add(channel);
            }
        }
        return channels;
    }
}

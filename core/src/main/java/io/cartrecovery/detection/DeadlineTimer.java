package io.cartrecovery.detection;

/**
 * The decisions behind {@code CartTracker}'s one lazy event-time timer per cart key.
 *
 * <p>Every event of an open cart pushes its deadline (last activity plus the gap) a little later.
 * Deleting the timer and registering a new one each time cost two timer-queue operations per event;
 * instead the timer stays where it is when what is due only moves later, and when it fires early
 * the tracker sets it again at what is due then. A cart active for less than its gap costs one
 * timer, one that stays busy longer costs one firing per gap. Something due earlier (a later stage
 * with a shorter gap) gets the timer moved at once.
 */
final class DeadlineTimer {
    /** {@link CartState#deadlineTimer} of a key whose timer has fired and was not set again. */
    static final long NONE = -1;

    private DeadlineTimer() {}

    /**
     * Where the key's timer is set, 0 if none. A cart stored before the timer was lazy has no
     * {@code deadlineTimer} (0 on restore) and its timer at the deadline itself.
     */
    static long armedAt(CartState state) {
        if (state.deadlineTimer == NONE) {
            return 0;
        }
        return state.deadlineTimer != 0 ? state.deadlineTimer : state.deadline;
    }

    /** The value of {@link CartState#deadlineTimer} for a timer set at {@code armed} (0: none). */
    static long field(long armed) {
        return armed == 0 ? NONE : armed;
    }

    /** Whether what is due needs the timer moved: none is set, or the set one is later. */
    static boolean needsTimer(long armed, long due) {
        return armed == 0 || due < armed;
    }
}

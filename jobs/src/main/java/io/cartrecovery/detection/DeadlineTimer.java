package io.cartrecovery.detection;

/**
 * The decisions behind {@link CartTracker}'s one lazy deadline timer per cart.
 *
 * <p>Every event of an open cart pushes its deadline (last activity plus the gap) a little later.
 * Deleting the timer and registering a new one each time cost two timer-queue operations per event;
 * instead the timer stays where it is when the deadline only moves later, and when it fires before
 * the deadline it is set again at the deadline as it stands then. A cart active for less than its
 * gap costs one timer, one that stays busy longer costs one firing per gap. A deadline that moves
 * earlier (a later stage with a shorter gap) gets a timer of its own at once.
 */
final class DeadlineTimer {
    private DeadlineTimer() {}

    /** What a firing event-time timer means for the deadline. */
    enum OnFire {
        /** The timer was not the deadline's (only held events or signals were due). */
        NOT_MINE,
        /** The deadline is reached. */
        DUE,
        /** The deadline moved on since the timer was set: set it again at the deadline. */
        REARM
    }

    /**
     * Where the deadline's timer is set, 0 if none. A cart stored before the timer was lazy has no
     * {@code deadlineTimer} (0 on restore) and its timer at the deadline itself.
     */
    static long armedAt(CartState state) {
        return state.deadlineTimer != 0 ? state.deadlineTimer : state.deadline;
    }

    /** Whether a new deadline needs a timer of its own: none is set, or the set one is later. */
    static boolean needsTimer(long armed, long deadline) {
        return armed == 0 || deadline < armed;
    }

    static OnFire onFire(long armed, long deadline, long time) {
        if (armed == 0 || armed > time) {
            return OnFire.NOT_MINE;
        }
        return deadline <= time ? OnFire.DUE : OnFire.REARM;
    }
}

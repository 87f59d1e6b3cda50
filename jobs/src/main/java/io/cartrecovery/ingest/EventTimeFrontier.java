package io.cartrecovery.ingest;

/**
 * How far one source partition's event time has got, defended against a device with a wrong clock
 * (issue 12; docs/time.md, "Bad clocks").
 *
 * <p>An event at most {@code maxStep} past the frontier moves it, as the largest event time seen
 * would. An event further ahead moves nothing on its own: it is a candidate, and the frontier jumps
 * only when an event of another cart also lands that far ahead, to the earlier of the two. So one
 * cart's events, however far ahead their clock, move their partition's event time, and with it
 * every other cart's deadlines there, by at most {@code maxStep} per event; a real jump (a store's
 * first traffic after a quiet night, a backlog) is taken at its second cart's event.
 *
 * <p>The first event after a start sets the frontier: there is nothing to compare it with. Plain
 * code, no Flink: {@link FrontierWatermarks} runs one per partition.
 */
public final class EventTimeFrontier {
    private final long maxStep;
    private long frontier = Long.MIN_VALUE;
    private long candidate = Long.MAX_VALUE;
    private String candidateCart;

    /**
     * @param maxStep how far past the frontier one event may move it, in milliseconds
     */
    public EventTimeFrontier(long maxStep) {
        if (maxStep <= 0) {
            throw new IllegalArgumentException("maxStep must be positive: " + maxStep);
        }
        this.maxStep = maxStep;
    }

    /**
     * Takes one event into account.
     *
     * @param time the event's time
     * @param cartKey the cart it belongs to
     */
    public void observe(long time, String cartKey) {
        if (frontier == Long.MIN_VALUE) {
            frontier = time;
        } else if (time - frontier <= maxStep) {
            frontier = Math.max(frontier, time);
        } else if (candidateCart != null && !candidateCart.equals(cartKey)) {
            frontier = Math.min(candidate, time);
            candidate = Long.MAX_VALUE;
            candidateCart = null;
        } else if (time < candidate) {
            candidate = time;
            candidateCart = cartKey;
        }
        if (candidate - frontier <= maxStep) {
            // The frontier caught up with the candidate by itself: nothing left to confirm.
            candidate = Long.MAX_VALUE;
            candidateCart = null;
        }
    }

    /** The largest event time taken, {@link Long#MIN_VALUE} before the first event. */
    public long frontier() {
        return frontier;
    }
}

package io.cartrecovery.detection;

import io.cartrecovery.keys.TrackedCartKey;

/**
 * A strong abandonment signal a CEP pattern found in a cart's events.
 *
 * @param cart the cart's key ({@code ClickEvent#trackedCart()})
 * @param reason what the signal suggests
 * @param firstEventTime event time (epoch millis) of the match's first event; a signal from before
 *     the current cart was opened belongs to an earlier cart and is ignored
 * @param effectiveTime event time at which the signal became true (the last event of the match, or
 *     the end of the silence it waited for); the tracker applies it in event-time order
 */
public record ReasonSignal(
        TrackedCartKey cart, ReasonHint reason, long firstEventTime, long effectiveTime) {}

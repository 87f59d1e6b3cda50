package io.cartrecovery.detection;

import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.EventType;
import io.cartrecovery.keys.TrackedCartKey;

/**
 * What the CEP patterns of {@link ReasonPatterns} read of an event. A CEP operator keeps each event
 * it is given in keyed state until the watermark passes it, and the events of a partial match until
 * the match ends: this keeps a few dozen bytes each instead of the whole event with its items, page
 * and user agent.
 *
 * @param costShown a shipping step that showed a cost above zero: read by no pattern since the
 *     unexpected-costs hint moved to the tracker ({@link UnexpectedCosts}), kept so that the state
 *     of the two patterns left restores from a savepoint of the version before
 * @param cartKey the tracked cart's key as a string ({@link #trackedCart()}): the CEP operators
 *     keep these events in state, and kept them with a string before keys had types
 */
public record SignalEvent(String cartKey, EventType type, long eventTime, boolean costShown) {
    static SignalEvent of(ClickEvent event) {
        return new SignalEvent(
                event.trackedCart().value(),
                event.type(),
                event.eventTime(),
                ReasonPatterns.shippingCostShown(event));
    }

    /** The cart the event belongs to: the patterns' key. */
    TrackedCartKey trackedCart() {
        return new TrackedCartKey(cartKey);
    }
}

package io.cartrecovery.detection;

/**
 * A strong abandonment signal a CEP pattern found in a cart's events.
 *
 * @param cartKey the cart's key ({@code ClickEvent#cartKey()})
 * @param reason what the signal suggests
 * @param firstEventTime event time (epoch millis) of the first event of the match; signals from
 *     before the current cart was opened belong to an earlier cart and are ignored
 */
public record ReasonSignal(String cartKey, ReasonHint reason, long firstEventTime) {}

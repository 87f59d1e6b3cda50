package io.cartrecovery.followup;

import io.cartrecovery.priority.Channel;
import java.io.Serializable;

/**
 * One configured step of the cadence.
 *
 * @param offsetMillis when the step is issued, after the cart's last activity
 * @param channel the channel it asks for; the customer's consent and the cart's tier may lower it
 */
public record Step(long offsetMillis, Channel channel) implements Serializable {}

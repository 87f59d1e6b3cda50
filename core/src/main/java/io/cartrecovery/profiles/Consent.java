package io.cartrecovery.profiles;

import java.io.Serializable;

/**
 * A customer's answer for one channel.
 *
 * @param granted true while consent stands; false once revoked or never given
 * @param at when it was given or revoked, epoch millis UTC, or null when unknown
 */
public record Consent(boolean granted, Long at) implements Serializable {
    public static final Consent NONE = new Consent(false, null);
}

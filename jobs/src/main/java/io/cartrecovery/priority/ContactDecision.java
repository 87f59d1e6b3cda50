package io.cartrecovery.priority;

import java.io.Serializable;
import java.util.Locale;

/**
 * Whether and how a customer is contacted about a cart.
 *
 * @param outcome what was decided
 * @param channel the channel of a task, or null when there is none
 */
public record ContactDecision(Outcome outcome, Channel channel) implements Serializable {

    /** The decision written on the abandoned-cart fact ({@code contact_decision}). */
    public enum Outcome {
        /** A task on {@code channel}. */
        CONTACT,
        /** The customer asked not to be contacted: no task. */
        DO_NOT_CONTACT,
        /** No channel the tier allows has both consent and contact details: no task. */
        NO_CONSENTED_CHANNEL,
        /**
         * Anonymous, or no profile arrived in time: a task as before enrichment, without channel or
         * customer details (docs/profiles.md).
         */
        UNKNOWN_CUSTOMER;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static ContactDecision contact(Channel channel) {
        return new ContactDecision(Outcome.CONTACT, channel);
    }

    public boolean createsTask() {
        return outcome == Outcome.CONTACT || outcome == Outcome.UNKNOWN_CUSTOMER;
    }

    /** A call is made by an agent; messages are sent by the system. Null without a task. */
    public Mode mode() {
        return channel == null ? null : channel.mode();
    }
}

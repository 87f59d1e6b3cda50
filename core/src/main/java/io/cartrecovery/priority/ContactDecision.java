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
         * Anonymous, or no profile arrived in time: no task, as there are no contact details and no
         * consent (docs/profiles.md). The cart is still an abandoned-cart fact, not contactable.
         */
        UNKNOWN_CUSTOMER;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static ContactDecision contact(Channel channel) {
        return new ContactDecision(Outcome.CONTACT, channel);
    }

    /**
     * Whether the cart is contactable: a customer with a profile, not do-not-contact, with a
     * consented channel they have the details for. Only such a cart gets a contact task (or is held
     * out); the abandoned-cart fact says so ({@code contactable}).
     */
    public boolean createsTask() {
        return outcome == Outcome.CONTACT;
    }

    /** A call is made by an agent; messages are sent by the system. Null without a task. */
    public Mode mode() {
        return channel == null ? null : channel.mode();
    }
}

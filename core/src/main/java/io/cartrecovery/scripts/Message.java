package io.cartrecovery.scripts;

import java.io.Serializable;

/**
 * The text of an automated message.
 *
 * @param subject the e-mail subject, or null for WhatsApp and SMS
 * @param text the message, with the cart link when the store has one
 * @param cartUrl the cart link alone, or null
 */
public record Message(String subject, String text, String cartUrl) implements Serializable {
    /** The text names the customer: personal data stays out of logs. */
    @Override
    public String toString() {
        return "Message[redacted]";
    }
}

package io.cartrecovery.scripts;

import java.io.Serializable;

/**
 * One step of a call script, in the order of the recovery-call checklist.
 *
 * @param step {@code greeting}, {@code products}, {@code open_question}, {@code objection}, {@code
 *     incentive}, {@code next_steps} or {@code close}
 * @param text what the agent says
 */
public record ScriptStep(String step, String text) implements Serializable {
    /** The text names the customer: personal data stays out of logs. */
    @Override
    public String toString() {
        return "ScriptStep[" + step + ", redacted]";
    }
}

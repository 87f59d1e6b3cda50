package io.cartrecovery.scripts;

import java.io.Serializable;
import java.util.List;

/**
 * What a task tells its contact to say: a call script for an agent, or a message the system sends.
 * Exactly one of the two is set.
 *
 * @param language the templates' language (the customer's, else English)
 */
public record ScriptOrMessage(List<ScriptStep> script, Message message, String language)
        implements Serializable {
    public ScriptOrMessage {
        script = script == null ? null : List.copyOf(script);
    }
}

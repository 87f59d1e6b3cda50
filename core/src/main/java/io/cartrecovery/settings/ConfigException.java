package io.cartrecovery.settings;

/** A configuration problem; the message is one line naming the setting and what is wrong. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}

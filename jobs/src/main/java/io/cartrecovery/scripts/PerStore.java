package io.cartrecovery.scripts;

import io.cartrecovery.config.ConfigException;
import io.cartrecovery.config.Configs;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

/**
 * A setting given per store as STORE:VALUE pairs, {@code *} standing for every store without its
 * own pair. A map that names no {@code *} keeps the option's default one.
 */
final class PerStore<T extends Serializable> implements Serializable {
    static final String ANY = "*";

    private final Map<String, T> values;

    private PerStore(Map<String, T> values) {
        this.values = values;
    }

    /**
     * @param parse turns one value into T, or throws IllegalArgumentException whose message says
     *     what is wrong with it
     * @throws ConfigException naming the setting and the store
     */
    static <T extends Serializable> PerStore<T> of(
            ReadableConfig config,
            ConfigOption<Map<String, String>> option,
            Function<String, T> parse) {
        Map<String, T> values = new HashMap<>();
        for (Map.Entry<String, String> entry : Configs.get(config, option).entrySet()) {
            String store = entry.getKey().strip();
            if (store.isEmpty()) {
                throw new ConfigException(option.key() + ": empty store id");
            }
            try {
                values.put(store, parse.apply(entry.getValue().strip()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        option.key() + ": '" + entry.getKey() + "' " + e.getMessage());
            }
        }
        // Setting one store's value must not drop the default for all the others.
        if (!values.containsKey(ANY) && option.hasDefaultValue()) {
            String fallback = option.defaultValue().get(ANY);
            if (fallback != null) {
                values.put(ANY, parse.apply(fallback));
            }
        }
        return new PerStore<>(Map.copyOf(values));
    }

    /** The store's own value, else the {@code *} value, else null. */
    T get(String store) {
        T value = values.get(store);
        return value != null ? value : values.get(ANY);
    }
}

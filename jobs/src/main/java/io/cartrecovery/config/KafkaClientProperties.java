package io.cartrecovery.config;

import io.cartrecovery.settings.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The Kafka client settings every client of the job gets on top of its own: security (SASL, TLS)
 * and tuning, from {@code kafka.properties-file} and {@code kafka.properties.NAME} settings. Read
 * once, where the job is built (the client that submits it), so the files need not exist on the
 * TaskManagers; the values travel inside the job's connectors.
 */
public final class KafkaClientProperties {
    private KafkaClientProperties() {}

    /** Settings under this prefix are Kafka client properties, passed on as they are. */
    public static final String PREFIX = "kafka.properties.";

    /**
     * What the job sets itself, per client: the brokers have their own option, group and
     * transactional ids and isolation are part of the delivery guarantee, and the records are
     * bytes.
     */
    static final Set<String> OWNED =
            Set.of(
                    "bootstrap.servers",
                    "group.id",
                    "transactional.id",
                    "isolation.level",
                    "enable.auto.commit",
                    "enable.idempotence",
                    "transaction.timeout.ms",
                    "key.serializer",
                    "value.serializer",
                    "key.deserializer",
                    "value.deserializer");

    /**
     * @throws ConfigException when the file is missing or unreadable, or a property is one the job
     *     owns
     */
    public static Properties from(ReadableConfig config) {
        Properties properties = new Properties();
        config.getOptional(KafkaOptions.PROPERTIES_FILE)
                .ifPresent(file -> properties.putAll(readFile(file)));
        for (Map.Entry<String, String> setting : config.toMap().entrySet()) {
            if (setting.getKey().startsWith(PREFIX)) {
                properties.setProperty(
                        setting.getKey().substring(PREFIX.length()), setting.getValue());
            }
        }
        Set<String> owned = new TreeSet<>();
        for (String name : properties.stringPropertyNames()) {
            if (OWNED.contains(name)) {
                owned.add(name);
            }
        }
        if (!owned.isEmpty()) {
            String name = owned.iterator().next();
            throw new ConfigException(
                    "the Kafka client property "
                            + name
                            + " is set by the job"
                            + (name.equals("bootstrap.servers")
                                    ? ": use " + KafkaOptions.BOOTSTRAP_SERVERS.key()
                                    : name.equals("group.id")
                                            ? ": use " + KafkaOptions.GROUP_ID.key()
                                            : " and cannot be overridden")
                            + " (from "
                            + KafkaOptions.PROPERTIES_FILE.key()
                            + " or "
                            + PREFIX
                            + name
                            + ")");
        }
        return properties;
    }

    /** {@code properties} with {@code extra} on top, as one new set. */
    public static Properties with(Properties properties, Map<String, ?> extra) {
        Properties merged = new Properties();
        merged.putAll(properties);
        merged.putAll(extra);
        return merged;
    }

    private static Properties readFile(String file) {
        String setting = KafkaOptions.PROPERTIES_FILE.key();
        Path path = Path.of(file.strip());
        if (!Files.exists(path)) {
            throw new ConfigException(setting + ": " + path + " does not exist");
        }
        if (Files.isDirectory(path)) {
            throw new ConfigException(setting + ": " + path + " is a folder, not a file");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            // Never the message: a malformed line may quote a secret.
            throw new ConfigException(
                    setting + ": " + path + " is not a readable properties file (UTF-8)");
        }
        return properties;
    }
}

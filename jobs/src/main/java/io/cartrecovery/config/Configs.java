package io.cartrecovery.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cartrecovery.settings.ConfigException;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.description.HtmlFormatter;

/**
 * Loads the job configuration: a YAML file of {@code key: value} settings, then command-line
 * overrides. Keys under the project's prefixes must be known options; other keys (e.g. {@code
 * parallelism.default}) are handed to Flink as they are.
 */
public final class Configs {
    private Configs() {}

    /** Every class of project options, in the order {@code --help} lists them. */
    public static final List<Class<?>> OPTION_CLASSES =
            List.of(
                    KafkaOptions.class,
                    IngestOptions.class,
                    DetectionOptions.class,
                    TaskOptions.class,
                    FollowUpOptions.class,
                    EnrichmentOptions.class,
                    PriorityOptions.class,
                    ScriptOptions.class,
                    ComplianceOptions.class,
                    AssignmentOptions.class,
                    DeliveryOptions.class,
                    DeadLetterOptions.class,
                    ClickHouseOptions.class,
                    KpiOptions.class);

    private static final List<String> PROJECT_PREFIXES =
            List.of(
                    "kafka.",
                    "topic.",
                    "ingest.",
                    "detection.",
                    "tasks.",
                    "followup.",
                    "enrichment.",
                    "priority.",
                    "scripts.",
                    "compliance.",
                    "assignment.",
                    "delivery.",
                    "dead-letters.",
                    "clickhouse.",
                    "kpi.");

    public static List<ConfigOption<?>> allOptions() {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Class<?> holder : OPTION_CLASSES) {
            for (Field field : holder.getFields()) {
                if (Modifier.isStatic(field.getModifiers())
                        && ConfigOption.class.isAssignableFrom(field.getType())) {
                    try {
                        options.add((ConfigOption<?>) field.get(null));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return options;
    }

    /** Settings an earlier version had, and what replaced them: said rather than "unknown". */
    private static final Map<String, String> REMOVED =
            Map.of(
                    "enrichment.profile-wait",
                    "carts now wait in event time for the profiles on the topic at the start"
                            + " (docs/profiles.md); delete the line");

    /**
     * @param file a YAML file, or null
     * @param overrides settings from the command line; they win over the file
     * @throws ConfigException naming the file, key or value at fault
     */
    public static Configuration load(Path file, Map<String, String> overrides) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (file != null) {
            settings.putAll(readYaml(file));
        }
        settings.putAll(overrides);
        List<String> known = allOptions().stream().map(ConfigOption::key).toList();
        for (String key : settings.keySet()) {
            boolean ours = PROJECT_PREFIXES.stream().anyMatch(key::startsWith);
            boolean passedOn =
                    key.startsWith(KafkaClientProperties.PREFIX)
                            && key.length() > KafkaClientProperties.PREFIX.length();
            if (REMOVED.containsKey(key)) {
                throw new ConfigException(
                        "setting '"
                                + key
                                + "' was removed"
                                + (file != null && !overrides.containsKey(key)
                                        ? " (in " + file + ")"
                                        : "")
                                + ": "
                                + REMOVED.get(key));
            }
            if (ours && !known.contains(key) && !passedOn) {
                throw new ConfigException(
                        "unknown setting '"
                                + key
                                + "'"
                                + (file != null && !overrides.containsKey(key) ? " in " + file : "")
                                + "; see cart-recovery --help");
            }
        }
        Configuration config = Configuration.fromMap(settings);
        allOptions().forEach(option -> get(config, option));
        JobSettings.from(config);
        ClickHouseSettings.from(config);
        KafkaClientProperties.from(config);
        return config;
    }

    /** Reads an option, turning Flink's parse failure into a one-line message. */
    public static <T> T get(ReadableConfig config, ConfigOption<T> option) {
        try {
            return config.get(option);
        } catch (IllegalArgumentException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ConfigException(
                    "invalid value for '" + option.key() + "': " + firstLine(cause.getMessage()));
        }
    }

    private static Map<String, String> readYaml(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException(
                    "config file " + file + " is not valid YAML: " + firstLine(e.getMessage()));
        }
        Map<String, String> settings = new LinkedHashMap<>();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return settings;
        }
        if (!root.isObject()) {
            throw new ConfigException("config file " + file + " must hold key: value settings");
        }
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            settings.put(entry.getKey(), flatten(file, entry.getKey(), entry.getValue()));
        }
        return settings;
    }

    /** Scalars as text; a mapping (e.g. detection.gaps) as Flink's {@code k:v,k:v} form. */
    private static String flatten(Path file, String key, JsonNode value) {
        if (value.isValueNode()) {
            return value.asText();
        }
        if (value.isObject()) {
            StringJoiner pairs = new StringJoiner(",");
            for (Map.Entry<String, JsonNode> entry : value.properties()) {
                if (!entry.getValue().isValueNode()) {
                    throw new ConfigException(
                            "config file "
                                    + file
                                    + ": "
                                    + key
                                    + "."
                                    + entry.getKey()
                                    + " must be a single value");
                }
                pairs.add(quote(entry.getKey()) + ":" + quote(entry.getValue().asText()));
            }
            return pairs.toString();
        }
        throw new ConfigException(
                "config file " + file + ": " + key + " must be a value or a mapping");
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains(":") || s.contains("'")
                ? "'" + s.replace("'", "''") + "'"
                : s;
    }

    /** The option reference {@code --help} prints: key, default and description of each. */
    public static String describe() {
        StringBuilder out = new StringBuilder();
        for (ConfigOption<?> option : allOptions()) {
            out.append("  ").append(option.key());
            if (option.hasDefaultValue()) {
                out.append(" (default: ").append(format(option.defaultValue())).append(')');
            }
            out.append('\n');
            String text = new HtmlFormatter().format(option.description()).replaceAll("\\s+", " ");
            wrap(text, "      ", 78, out);
        }
        return out.toString();
    }

    private static void wrap(String text, String indent, int width, StringBuilder out) {
        StringBuilder line = new StringBuilder(indent);
        for (String word : text.split(" ")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
                out.append(line).append('\n');
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        out.append(line).append('\n');
    }

    private static String format(Object value) {
        if (value instanceof java.time.Duration d) {
            return org.apache.flink.util.TimeUtils.formatWithHighestUnit(d);
        }
        if (value instanceof Map<?, ?> m && m.isEmpty()) {
            return "none";
        }
        return String.valueOf(value);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

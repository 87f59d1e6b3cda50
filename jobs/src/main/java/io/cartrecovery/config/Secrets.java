package io.cartrecovery.config;

import io.cartrecovery.settings.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where credentials come from, and where they may not: a secret is read from a file or an
 * environment variable (or a {@code --config} file), never taken from the command line, where every
 * user of the machine sees it in the process list ({@code ps}, {@code /proc/PID/cmdline}) and
 * shells keep it in their history.
 */
public final class Secrets {
    private Secrets() {}

    /** A secret file larger than this is not a password: refused before it is read whole. */
    static final int MAX_SECRET_FILE_BYTES = 65_536;

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * Whether a setting holds a credential: the ClickHouse password and hash key, and Kafka client
     * properties that carry one ({@code sasl.jaas.config}, {@code ssl.*.password}, ...).
     */
    public static boolean isSecret(String key) {
        if (key.equals(ClickHouseOptions.PASSWORD.key())
                || key.equals(ClickHouseOptions.HASH_KEY.key())) {
            return true;
        }
        if (!key.startsWith(KafkaClientProperties.PREFIX)) {
            return false;
        }
        String property = key.toLowerCase(Locale.ROOT);
        return property.contains("password")
                || property.contains("jaas.config")
                || property.contains("secret")
                || property.contains("token")
                || property.contains("keystore.key")
                || property.contains("credentials");
    }

    /**
     * @param commandLine the {@code -D} settings of a command
     * @throws ConfigException naming the first credential given there, and where to put it instead
     */
    public static void refuseOnCommandLine(Map<String, String> commandLine) {
        for (String key : commandLine.keySet()) {
            if (isSecret(key)) {
                String instead =
                        key.startsWith(KafkaClientProperties.PREFIX)
                                ? KafkaOptions.PROPERTIES_FILE.key()
                                : key.equals(ClickHouseOptions.PASSWORD.key())
                                        ? ClickHouseOptions.PASSWORD_FILE.key()
                                                + " or "
                                                + ClickHouseOptions.PASSWORD_ENV.key()
                                        : "the --config file";
                throw new ConfigException(
                        key
                                + " is a credential: on the command line every user of the"
                                + " machine sees it in the process list; put it in "
                                + instead
                                + (instead.equals("the --config file")
                                        ? ""
                                        : " (or the --config file)"));
            }
        }
    }

    /**
     * The content of a secret file, without one trailing line break ({@code echo secret > file}
     * writes one).
     */
    public static String readFile(String setting, String file) {
        Path path = Path.of(file.strip());
        if (!Files.exists(path)) {
            throw new ConfigException(setting + ": " + path + " does not exist");
        }
        if (Files.isDirectory(path)) {
            throw new ConfigException(setting + ": " + path + " is a folder, not a file");
        }
        try {
            if (Files.size(path) > MAX_SECRET_FILE_BYTES) {
                throw new ConfigException(
                        setting
                                + ": "
                                + path
                                + " is larger than "
                                + MAX_SECRET_FILE_BYTES
                                + " bytes, not a secret file");
            }
            String text = new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
            if (text.endsWith("\r\n")) {
                return text.substring(0, text.length() - 2);
            }
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw new ConfigException(setting + ": cannot read " + path);
        }
    }

    /** The value of the environment variable a setting names. */
    public static String readEnv(String setting, String name) {
        String variable = name.strip();
        if (!ENV_NAME.matcher(variable).matches()) {
            throw new ConfigException(
                    setting + ": '" + name + "' is not the name of an environment variable");
        }
        String value = System.getenv(variable);
        if (value == null) {
            throw new ConfigException(
                    setting + ": the environment variable " + variable + " is not set");
        }
        return value;
    }
}

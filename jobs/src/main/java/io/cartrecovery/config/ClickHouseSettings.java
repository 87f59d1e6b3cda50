package io.cartrecovery.config;

import io.cartrecovery.settings.ConfigException;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Where and how facts are written to ClickHouse, read and validated once from the configuration.
 *
 * @param url {@code http(s)://HOST[:PORT]}, without a trailing slash
 * @param database a plain identifier, so it can be written into statements as it is
 * @param hashKey the key of the customer id hashes, or null when ids are stored as they are
 */
public record ClickHouseSettings(
        String url,
        String user,
        String password,
        String database,
        int batchSize,
        Duration flushInterval,
        Duration retryBackoff,
        Duration retryTimeout,
        Duration requestTimeout,
        String hashKey)
        implements Serializable {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The settings, or empty when {@code clickhouse.url} is not set (no facts are written). */
    public static Optional<ClickHouseSettings> from(ReadableConfig config) {
        Optional<String> url = config.getOptional(ClickHouseOptions.URL);
        if (url.isEmpty() || url.get().isBlank()) {
            return Optional.empty();
        }
        String database = Configs.get(config, ClickHouseOptions.DATABASE);
        if (!IDENTIFIER.matcher(database).matches()) {
            throw new ConfigException(
                    ClickHouseOptions.DATABASE.key()
                            + ": '"
                            + database
                            + "' is not a plain name (letters, digits, _)");
        }
        int batchSize = Configs.get(config, ClickHouseOptions.BATCH_SIZE);
        if (batchSize < 1) {
            throw new ConfigException(
                    ClickHouseOptions.BATCH_SIZE.key() + " must be at least 1, got " + batchSize);
        }
        String hashKey = null;
        if (Configs.get(config, ClickHouseOptions.HASH_CUSTOMER_IDS)) {
            hashKey = config.getOptional(ClickHouseOptions.HASH_KEY).orElse("");
            if (hashKey.isBlank()) {
                throw new ConfigException(
                        ClickHouseOptions.HASH_CUSTOMER_IDS.key()
                                + " needs a secret in "
                                + ClickHouseOptions.HASH_KEY.key());
            }
        }
        return Optional.of(
                new ClickHouseSettings(
                        normalizedUrl(url.get()),
                        Configs.get(config, ClickHouseOptions.USER),
                        password(config),
                        database,
                        batchSize,
                        positive(config, ClickHouseOptions.FLUSH_INTERVAL),
                        positive(config, ClickHouseOptions.RETRY_BACKOFF),
                        positive(config, ClickHouseOptions.RETRY_TIMEOUT),
                        positive(config, ClickHouseOptions.REQUEST_TIMEOUT),
                        hashKey));
    }

    /**
     * The password from one of its three places: the setting itself (a config file), a file, or an
     * environment variable. Two of them at once is an error: which one wins would be a guess.
     */
    static String password(ReadableConfig config) {
        Optional<String> inline = config.getOptional(ClickHouseOptions.PASSWORD);
        Optional<String> file = config.getOptional(ClickHouseOptions.PASSWORD_FILE);
        Optional<String> env = config.getOptional(ClickHouseOptions.PASSWORD_ENV);
        int given =
                (inline.isPresent() ? 1 : 0)
                        + (file.isPresent() ? 1 : 0)
                        + (env.isPresent() ? 1 : 0);
        if (given > 1) {
            throw new ConfigException(
                    "set only one of "
                            + ClickHouseOptions.PASSWORD.key()
                            + ", "
                            + ClickHouseOptions.PASSWORD_FILE.key()
                            + " and "
                            + ClickHouseOptions.PASSWORD_ENV.key());
        }
        if (file.isPresent()) {
            return Secrets.readFile(ClickHouseOptions.PASSWORD_FILE.key(), file.get());
        }
        if (env.isPresent()) {
            return Secrets.readEnv(ClickHouseOptions.PASSWORD_ENV.key(), env.get());
        }
        return inline.orElse("");
    }

    private static String normalizedUrl(String raw) {
        String text = raw.strip();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            uri = null;
        }
        boolean http =
                uri != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
        if (!http
                || uri.getHost() == null
                || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null
                || !(uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
            throw new ConfigException(
                    ClickHouseOptions.URL.key()
                            + ": '"
                            + raw
                            + "' is not an http(s)://HOST[:PORT] address");
        }
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static Duration positive(ReadableConfig config, ConfigOption<Duration> option) {
        Duration value = Configs.get(config, option);
        if (value.isNegative() || value.isZero()) {
            throw new ConfigException(option.key() + " must be positive, got " + value);
        }
        return value;
    }

    /** Keeps the password and the hash key out of logs. */
    @Override
    public String toString() {
        return "ClickHouseSettings[url="
                + url
                + ", user="
                + user
                + ", database="
                + database
                + ", batchSize="
                + batchSize
                + ", flushInterval="
                + flushInterval
                + ", hashCustomerIds="
                + (hashKey != null)
                + "]";
    }
}

package io.cartrecovery.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** The facts store for dashboards: where ClickHouse is, and how facts are written there. */
public final class ClickHouseOptions {
    private ClickHouseOptions() {}

    public static final ConfigOption<String> URL =
            ConfigOptions.key("clickhouse.url")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "HTTP(S) address of ClickHouse, e.g. http://localhost:8123. When set,"
                                    + " the job also writes abandoned carts and contact tasks there"
                                    + " as facts (docs/clickhouse.md); `schema apply` creates the"
                                    + " tables.");

    public static final ConfigOption<String> USER =
            ConfigOptions.key("clickhouse.user")
                    .stringType()
                    .defaultValue("default")
                    .withDescription("ClickHouse user.");

    public static final ConfigOption<String> PASSWORD =
            ConfigOptions.key("clickhouse.password")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Password of the ClickHouse user. Only in a --config file: on the"
                                    + " command line it would show in the process list, so"
                                    + " `-D clickhouse.password` is refused; or use"
                                    + " clickhouse.password-file or clickhouse.password-env.");

    public static final ConfigOption<String> PASSWORD_FILE =
            ConfigOptions.key("clickhouse.password-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "File holding the password of the ClickHouse user (one trailing line"
                                    + " break ignored), e.g. a mounted secret; read when the job"
                                    + " is built or the command starts.");

    public static final ConfigOption<String> PASSWORD_ENV =
            ConfigOptions.key("clickhouse.password-env")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Name of the environment variable holding the password of the"
                                    + " ClickHouse user, e.g. CLICKHOUSE_WRITER_PASSWORD; read"
                                    + " when the job is built or the command starts.");

    public static final ConfigOption<String> DATABASE =
            ConfigOptions.key("clickhouse.database")
                    .stringType()
                    .defaultValue("cart_recovery")
                    .withDescription(
                            "Database of the facts; `schema apply` creates it. Give backtests a"
                                    + " database of their own: the latest write of a fact wins.");

    public static final ConfigOption<Integer> BATCH_SIZE =
            ConfigOptions.key("clickhouse.batch-size")
                    .intType()
                    .defaultValue(1000)
                    .withDescription("Rows per insert, at most; a full batch is written at once.");

    public static final ConfigOption<Duration> FLUSH_INTERVAL =
            ConfigOptions.key("clickhouse.flush-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "A batch that is not full is written after this long (and at every"
                                    + " checkpoint), so boards lag by at most this much.");

    public static final ConfigOption<Duration> RETRY_BACKOFF =
            ConfigOptions.key("clickhouse.retry-backoff")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "Wait after a failed insert before the next try; it doubles with each"
                                    + " failure, up to a minute.");

    public static final ConfigOption<Duration> RETRY_TIMEOUT =
            ConfigOptions.key("clickhouse.retry-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "How long a batch is retried (the job slows down meanwhile) before the"
                                    + " job fails and restarts from its last checkpoint. Nothing"
                                    + " is lost either way; rows written twice replace each other.");

    public static final ConfigOption<Duration> REQUEST_TIMEOUT =
            ConfigOptions.key("clickhouse.request-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription("Longest wait for ClickHouse to answer one request.");

    public static final ConfigOption<Boolean> HASH_CUSTOMER_IDS =
            ConfigOptions.key("clickhouse.hash-customer-ids")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Store customer and visitor ids (also inside derived cart ids) as"
                                    + " HMAC-SHA256 hashes keyed by clickhouse.hash-key, for stores"
                                    + " that want no customer ids in ClickHouse. The same id always"
                                    + " gives the same hash, so counts per customer still work.");

    public static final ConfigOption<String> HASH_KEY =
            ConfigOptions.key("clickhouse.hash-key")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Secret key of the customer id hashes; required with"
                                    + " clickhouse.hash-customer-ids (without a secret, ids such as"
                                    + " numbers are found again by hashing every candidate). Keep"
                                    + " it stable: another key gives other hashes.");
}

package io.cartrecovery.clickhouse;

import io.cartrecovery.config.ClickHouseSettings;
import io.cartrecovery.ingest.LogSafe;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers facts as rows and inserts them into their table in one statement, with clickhouse-jdbc. A
 * failed insert is retried, with a doubling wait, for up to {@code clickhouse.retry-timeout}: while
 * ClickHouse is away the caller waits (the job slows down) and nothing is dropped. Rows are
 * idempotent, so a retry of an insert that had in fact succeeded does no harm.
 */
final class FactInserter<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FactInserter.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private final ClickHouseSettings settings;
    private final FactTable<T> table;
    private final CustomerIds ids;
    private final Runnable onRetry;
    private final String insert;
    private final List<Object[]> rows = new ArrayList<>();

    /** Where the buffered row of each key is in {@link #rows}, for tables with a replace key. */
    private final Map<Object, Integer> rowOfKey = new HashMap<>();

    private Connection connection;
    private long lastVersion;

    /**
     * @param onRetry called before each retry (a metric)
     */
    FactInserter(ClickHouseSettings settings, FactTable<T> table, Runnable onRetry) {
        this.settings = settings;
        this.table = table;
        this.ids = CustomerIds.of(settings.hashKey());
        this.onRetry = onRetry;
        // Qualified name: ClickHouse 18.16 ignores the database the driver asks for.
        this.insert =
                "INSERT INTO "
                        + settings.database()
                        + "."
                        + table.table()
                        + " ("
                        + String.join(", ", table.columns())
                        + ") VALUES ("
                        + String.join(", ", Collections.nCopies(table.columns().size(), "?"))
                        + ")";
    }

    /**
     * Buffers the fact's row; a row of the same replace key already buffered is replaced by it (the
     * newer version), so a KPI minute updated many times between two flushes is written once.
     */
    void add(T fact) {
        Object[] row = table.row(fact, nextVersion(), ids);
        Object key = table.replaceKey(fact);
        Integer at = key == null ? null : rowOfKey.putIfAbsent(key, rows.size());
        if (at == null) {
            rows.add(row);
        } else {
            rows.set(at, row);
        }
    }

    int buffered() {
        return rows.size();
    }

    /** Writes every buffered row, retrying until it works or the retry timeout is over. */
    void flush() throws IOException, InterruptedException {
        if (rows.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + settings.retryTimeout().toNanos();
        Duration backoff = settings.retryBackoff();
        for (int attempt = 1; ; attempt++) {
            try {
                insert();
                rows.clear();
                rowOfKey.clear();
                return;
            } catch (SQLException e) {
                closeConnection();
                if (System.nanoTime() + backoff.toNanos() > deadline) {
                    throw new IOException(
                            "ClickHouse at "
                                    + settings.url()
                                    + " took no insert into "
                                    + target()
                                    + " for "
                                    + settings.retryTimeout()
                                    + "; the job restarts from its last checkpoint: "
                                    + e.getMessage(),
                            e);
                }
                LOG.warn(
                        "Insert of {} rows into {} at {} failed (try {}), retrying in {}: {}",
                        rows.size(),
                        target(),
                        settings.url(),
                        attempt,
                        backoff,
                        LogSafe.of(e.getMessage()));
                onRetry.run();
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2);
                if (backoff.compareTo(MAX_BACKOFF) > 0) {
                    backoff = MAX_BACKOFF;
                }
            }
        }
    }

    private void insert() throws SQLException {
        if (connection == null) {
            connection = connect();
        }
        try (PreparedStatement statement = connection.prepareStatement(insert)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    statement.setObject(i + 1, row[i]);
                }
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", settings.user());
        properties.setProperty("password", settings.password());
        // ClickHouse 18.16 answers compressed requests with an empty body.
        properties.setProperty("compress", "false");
        String timeout = String.valueOf(settings.requestTimeout().toMillis());
        properties.setProperty("connection_timeout", timeout);
        properties.setProperty("socket_timeout", timeout);
        // The driver itself, not DriverManager, which does not see drivers of Flink's user-code
        // class loader.
        return new com.clickhouse.jdbc.Driver()
                .connect("jdbc:clickhouse:" + settings.url(), properties);
    }

    /**
     * Wall clock in microseconds, but always above the previous version: two writes of one fact in
     * the same millisecond still order as written.
     */
    private long nextVersion() {
        lastVersion = Math.max(System.currentTimeMillis() * 1000, lastVersion + 1);
        return lastVersion;
    }

    private String target() {
        return settings.database() + "." + table.table();
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("Closing a failed ClickHouse connection", e);
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closeConnection();
    }
}

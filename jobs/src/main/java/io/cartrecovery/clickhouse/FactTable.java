package io.cartrecovery.clickhouse;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * How one kind of fact becomes a row of its table (sql/clickhouse/). Values are bound as JDBC
 * parameters: strings, exact decimals, numbers, null; DateTime columns as epoch seconds, which
 * clickhouse-jdbc 0.10 can insert into ClickHouse 18.16 (a bound Timestamp cannot).
 */
interface FactTable<T> extends Serializable {
    String table();

    /** The columns {@link #row} fills, in its order; the others take their defaults. */
    List<String> columns();

    /**
     * @param version the row's version: when it is written, epoch microseconds, strictly increasing
     *     per writer
     * @param ids turns customer ids (and cart ids derived from them) into what may be stored
     */
    Object[] row(T fact, long version, CustomerIds ids);

    /**
     * The row's identity in its table (its sorting key), for facts that are rewritten as running
     * totals (the KPI minutes): of several rows of one key in a batch only the latest is written,
     * as the table would keep only it. Null (the default): every row is written.
     */
    default Object replaceKey(T fact) {
        return null;
    }

    /** Epoch millis as DateTime's epoch seconds (times are stored to the second). */
    static Long seconds(long epochMillis) {
        return Math.floorDiv(epochMillis, 1000L);
    }

    /**
     * Money at the columns' scale of 4; 18.16 refuses a decimal with more digits than its column.
     * Four places are more than any currency has, so rounding only trims computed fractions.
     */
    static BigDecimal money(BigDecimal amount) {
        return amount == null ? null : amount.setScale(4, RoundingMode.HALF_EVEN);
    }
}

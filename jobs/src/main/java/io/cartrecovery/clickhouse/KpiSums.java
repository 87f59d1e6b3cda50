package io.cartrecovery.clickhouse;

import io.cartrecovery.ingest.LogSafe;
import java.math.BigDecimal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The money sums of the KPI windows in their {@code Decimal(18, 4)} columns. Every amount and every
 * cart total is below 10^14 (docs/limits.md), but a window adds up many carts: carts of one store,
 * minute, dimensions and currency whose values add up to 10^14 or more do not fit, and ClickHouse
 * would refuse the whole batch again and again ("Too many digits"), until the job fails and
 * restarts into the same row. Such a sum is written as the column's largest value instead, with a
 * WARN naming the row; the facts themselves (one cart each) stay exact, and so do the boards'
 * headline sums, which add the facts up at query time.
 */
final class KpiSums {
    private KpiSums() {}

    private static final Logger LOG = LoggerFactory.getLogger(KpiSums.class);

    /** The largest value of a {@code Decimal(18, 4)} column. */
    static final BigDecimal COLUMN_MAX = new BigDecimal("99999999999999.9999");

    /**
     * @param column the table and column, e.g. {@code kpi_minute.abandoned_value}
     * @param store the row's store, for the log line
     * @param minuteStart the row's window, epoch millis
     */
    static BigDecimal fitted(BigDecimal sum, String column, String store, long minuteStart) {
        BigDecimal money = FactTable.money(sum);
        if (money == null || money.compareTo(COLUMN_MAX) <= 0) {
            return money;
        }
        LOG.warn(
                "{} of store {} at {} is {}, beyond its Decimal(18, 4) column: written as {}"
                        + " (docs/limits.md#money)",
                column,
                LogSafe.of(store),
                java.time.Instant.ofEpochMilli(minuteStart),
                money.toPlainString(),
                COLUMN_MAX.toPlainString());
        return COLUMN_MAX;
    }
}

package io.cartrecovery.kpi;

import io.cartrecovery.keys.KpiMinuteKey;

/**
 * A KPI row of one minute and its dimensions that adds up: a single record's contribution (one
 * cart, one attempt, one alert) and the totals of many are the same type, and {@link #plus} is
 * associative and commutative, so the totals of a minute do not depend on the order its records
 * arrive in (docs/clickhouse.md, "KPI windows").
 */
public interface MinuteTotal<T extends MinuteTotal<T>> {
    /** The minute, epoch millis (UTC), a multiple of 60,000. */
    long minuteStart();

    /** The store, for the log; '' for none. */
    String storeId();

    /**
     * The minute and every dimension: the row's identity, as the ClickHouse table's sorting key.
     */
    KpiMinuteKey key();

    /** Both added up; both have the same {@link #key}. */
    T plus(T other);
}

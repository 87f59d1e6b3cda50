package io.cartrecovery.clickhouse;

/** ClickHouse could not be reached or refused a statement; the message is one line naming it. */
public final class ClickHouseException extends RuntimeException {
    public ClickHouseException(String message) {
        super(message);
    }
}

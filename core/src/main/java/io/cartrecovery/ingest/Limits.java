package io.cartrecovery.ingest;

import java.math.BigDecimal;

/**
 * Every limit on what the job takes in, in one place; docs/limits.md explains them. A record or
 * field beyond one is a dead letter with a reason naming the limit, never a failure of the job.
 */
public final class Limits {
    private Limits() {}

    /**
     * The largest {@code ingest.max-event-bytes} may be: a rejected record is kept whole in its
     * dead letter, which must stay below the dead-letter topic's 1 MB message limit even when every
     * byte is escaped in JSON (six bytes for a control character).
     */
    public static final int MAX_EVENT_BYTES_SETTING = 128 * 1024;

    /** A customer profile record (docs/profiles.md). */
    public static final int MAX_PROFILE_BYTES = 16 * 1024;

    /** A contact outcome record (docs/outcomes.md): its notes alone may take 16,000 bytes. */
    public static final int MAX_OUTCOME_BYTES = 32 * 1024;

    /** An agent record (docs/assignment.md). */
    public static final int MAX_AGENT_BYTES = 16 * 1024;

    /** Ids (store, cart, customer, visitor, session, event, order, product, agent, error code). */
    public static final int MAX_ID_CHARS = 200;

    /** Names (of products, customers, agents) and e-mail addresses. */
    public static final int MAX_NAME_CHARS = 500;

    /** Cart lines in one event. */
    public static final int MAX_ITEMS = 1000;

    /** Units of one line in one event. */
    public static final int MAX_QUANTITY = 1_000_000;

    /** Stretches of one agent's shift on one weekday ({@code "09:00-12:00,13:00-17:00"} is 2). */
    public static final int MAX_SHIFT_STRETCHES_PER_DAY = 8;

    /** Money has 4 decimals at most: ClickHouse's money columns are Decimal(18, 4). */
    public static final int MONEY_SCALE = 4;

    /**
     * Every amount, and every sum the job stores (a line, an event, a cart), is below this: 10^14,
     * the range of Decimal(18, 4).
     */
    public static final BigDecimal MONEY_LIMIT = BigDecimal.TEN.pow(18 - MONEY_SCALE);
}

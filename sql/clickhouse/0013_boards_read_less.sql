-- Boards that read less (docs/clickhouse.md, "Boards at scale"; issue 16, item 5). Plain views
-- only: no table, no data, nothing fed at insert time; every number the boards show stays the same.
--
-- 1. Rows with their minute. The time-series and breakdown panels read the *_per_minute views,
--    which add up every key's latest row by minute and five to eight string dimensions before the
--    panel's range filter applies (a filter outside a GROUP BY view is not pushed into it on
--    18.16): a hash table of every minute and dimensions of all time, on every refresh, then
--    filtered. The views below are each latest view's rows with their minute, no GROUP BY, so the
--    panel's filter on `minute` applies to the rows as they stream out of the latest view and only
--    the range is added up, by the panel's own few dimensions. A panel's count() and sum() over
--    them equal its sum(carts) and sum(cart_value) over the *_per_minute view for every range and
--    filter (the same rows, grouped once instead of twice; Decimal sums are exact).
--
-- 2. cart_outcomes without joins. The view joined four latest views with three ANY LEFT JOINs
--    (each right side built as an in-memory hash table of every cart). It now reads their rows
--    once, UNION ALL, tagged by source, and groups them by (store_id, cart_id): one aggregation
--    instead of three hash tables and two intermediate results. The same columns, types and rows:
--    each latest view has at most one row per key (attempts: per attempt), so any/anyIf of the
--    one row of a source is that row's value, and a source without a row for the cart gives what
--    18.16's ANY LEFT JOIN gave (0, '', 1970-01-01, NULL for Nullable columns, the flag 0). Carts
--    with no abandoned_carts row are left out, as the left join left them out. roi_30_60_90 and
--    roi_30_60_90_money read cart_outcomes: dropped first, created again as 0012 made them.
--    Every branch of the UNION ALL names every column: 18.16 drops the columns a query does not
--    need from each branch by name, and a branch with unnamed expressions loses the wrong ones
--    ("There is no supertype for types DateTime, UInt8 ...").
--
-- Views are dropped and created again (safe to run twice); DROP TABLE because 18.16 has no DROP
-- VIEW. Same alias rule as 0003: an aggregate carries the name of the column it aggregates or a
-- new name, never a name another aggregate reads.

CREATE VIEW IF NOT EXISTS abandoned_carts_minute_rows AS
SELECT toStartOfMinute(abandoned_at) AS minute, store_id, cart_id, stage, reason, currency,
    cart_value, item_count, contactable
FROM abandoned_carts_latest;

CREATE VIEW IF NOT EXISTS contact_tasks_minute_rows AS
SELECT toStartOfMinute(occurred_at) AS minute, store_id, task_id, type, cancel_reason, stage,
    reason, channel, agent_id
FROM contact_tasks_latest;

CREATE VIEW IF NOT EXISTS recoveries_minute_rows AS
SELECT toStartOfMinute(recovered_at) AS minute, store_id, cart_id, channel, agent_id, contacted,
    in_holdout, currency, recovered_value
FROM recoveries_latest;

DROP TABLE IF EXISTS roi_30_60_90_money;

DROP TABLE IF EXISTS roi_30_60_90;

DROP TABLE IF EXISTS cart_outcomes;

CREATE VIEW IF NOT EXISTS cart_outcomes AS
SELECT
    store_id,
    cart_id,
    stage,
    reason,
    cart_value,
    currency,
    abandoned_at,
    contactable,
    contacted,
    first_contact_at,
    attempts,
    reached,
    responded,
    recovered,
    recovered_at,
    recovered_value,
    recovered_currency,
    recovered_channel,
    recovered_agent_id,
    assigned,
    in_holdout
FROM
(
    SELECT
        store_id,
        cart_id,
        max(src = 1) AS carted,
        anyIf(stage, src = 1) AS stage,
        anyIf(reason, src = 1) AS reason,
        anyIf(cart_value, src = 1) AS cart_value,
        anyIf(currency, src = 1) AS currency,
        anyIf(abandoned_at, src = 1) AS abandoned_at,
        anyIf(contactable, src = 1) AS contactable,
        max(src = 2) AS contacted,
        minIf(first_contact_at, src = 2) AS first_contact_at,
        countIf(src = 2) AS attempts,
        max(reached) AS reached,
        max(responded) AS responded,
        max(src = 3) AS recovered,
        anyIf(recovered_at, src = 3) AS recovered_at,
        anyIf(recovered_value, src = 3) AS recovered_value,
        anyIf(recovered_currency, src = 3) AS recovered_currency,
        anyIf(recovered_channel, src = 3) AS recovered_channel,
        anyIf(recovered_agent_id, src = 3) AS recovered_agent_id,
        max(src = 4) AS assigned,
        max(in_holdout) AS in_holdout
    FROM
    (
        -- 1: the cart's latest report
        SELECT 1 AS src, store_id, cart_id, stage, reason, cart_value, currency, abandoned_at,
            contactable, toDateTime(0, 'UTC') AS first_contact_at, toUInt8(0) AS reached,
            toUInt8(0) AS responded, toDateTime(0, 'UTC') AS recovered_at,
            toDecimal64(0, 4) AS recovered_value,
            CAST(NULL AS Nullable(String)) AS recovered_currency,
            CAST(NULL AS Nullable(String)) AS recovered_channel,
            CAST(NULL AS Nullable(String)) AS recovered_agent_id, toUInt8(0) AS in_holdout
        FROM abandoned_carts_latest
        UNION ALL
        -- 2: each attempt made (with an outcome), as the contacts of 0012 counted them
        SELECT 2 AS src, store_id, cart_id, '' AS stage, '' AS reason,
            toDecimal64(0, 4) AS cart_value, CAST(NULL AS Nullable(String)) AS currency,
            toDateTime(0, 'UTC') AS abandoned_at, toUInt8(0) AS contactable,
            assumeNotNull(attempted_at) AS first_contact_at, reached, responded,
            toDateTime(0, 'UTC') AS recovered_at, toDecimal64(0, 4) AS recovered_value,
            CAST(NULL AS Nullable(String)) AS recovered_currency,
            CAST(NULL AS Nullable(String)) AS recovered_channel,
            CAST(NULL AS Nullable(String)) AS recovered_agent_id, toUInt8(0) AS in_holdout
        FROM contact_attempts_latest
        WHERE attempted_at IS NOT NULL
        UNION ALL
        -- 3: the cart's recovery
        SELECT 3 AS src, store_id, cart_id, '' AS stage, '' AS reason,
            toDecimal64(0, 4) AS cart_value, CAST(NULL AS Nullable(String)) AS currency,
            toDateTime(0, 'UTC') AS abandoned_at, toUInt8(0) AS contactable,
            toDateTime(0, 'UTC') AS first_contact_at, toUInt8(0) AS reached,
            toUInt8(0) AS responded, recovered_at, recovered_value, recovered_currency,
            recovered_channel, recovered_agent_id, toUInt8(0) AS in_holdout
        FROM
        (
            -- renamed here: an alias wins over a column of the same name in its SELECT
            SELECT store_id, cart_id, recovered_at, recovered_value,
                currency AS recovered_currency, channel AS recovered_channel,
                agent_id AS recovered_agent_id
            FROM recoveries_latest
        ) AS bought
        UNION ALL
        -- 4: the cart's holdout group
        SELECT 4 AS src, store_id, cart_id, '' AS stage, '' AS reason,
            toDecimal64(0, 4) AS cart_value, CAST(NULL AS Nullable(String)) AS currency,
            toDateTime(0, 'UTC') AS abandoned_at, toUInt8(0) AS contactable,
            toDateTime(0, 'UTC') AS first_contact_at, toUInt8(0) AS reached,
            toUInt8(0) AS responded, toDateTime(0, 'UTC') AS recovered_at,
            toDecimal64(0, 4) AS recovered_value,
            CAST(NULL AS Nullable(String)) AS recovered_currency,
            CAST(NULL AS Nullable(String)) AS recovered_channel,
            CAST(NULL AS Nullable(String)) AS recovered_agent_id, in_holdout
        FROM holdout_latest
    ) AS facts
    GROUP BY store_id, cart_id
) AS per_cart
WHERE carted = 1;

CREATE VIEW IF NOT EXISTS roi_30_60_90 AS
SELECT
    days,
    store_id,
    countIf(in_holdout = 0) AS abandoned_carts,
    countIf(in_holdout = 0 AND contactable = 1) AS contactable_carts,
    countIf(in_holdout = 0 AND contactable = 1 AND contacted = 1) AS contacted_carts,
    countIf(in_holdout = 0 AND contactable = 1 AND contacted = 1
        AND first_contact_at <= abandoned_at + 1800) AS contacted_within_30_min,
    sumIf(attempts, in_holdout = 0 AND contactable = 1 AND contacted = 1) AS attempts,
    countIf(in_holdout = 0 AND contactable = 1 AND recovered = 1) AS recovered_carts,
    countIf(in_holdout = 0 AND contactable = 1 AND recovered = 1)
        / greatest(countIf(in_holdout = 0 AND contactable = 1), 1) AS recovery_rate,
    countIf(in_holdout = 1) AS holdout_carts,
    countIf(in_holdout = 1 AND recovered = 1) AS holdout_recovered_carts,
    if(countIf(in_holdout = 1) = 0, NULL,
       countIf(assigned = 1 AND in_holdout = 0 AND recovered = 1)
           / greatest(countIf(assigned = 1 AND in_holdout = 0), 1)
       - countIf(in_holdout = 1 AND recovered = 1) / countIf(in_holdout = 1)) AS lift
FROM cart_outcomes
ARRAY JOIN [30, 60, 90] AS days
WHERE abandoned_at > now() - days * 86400 AND abandoned_at <= now()
GROUP BY days, store_id;

-- roi_30_60_90_money as in 0009: abandoned value of every cart outside the holdout, recovered
-- revenue of the recovered ones (only contactable carts are tracked for recoveries now).
CREATE VIEW IF NOT EXISTS roi_30_60_90_money AS
SELECT
    days,
    store_id,
    currency,
    sum(cart_value) AS abandoned_value,
    sumIf(recovered_value, recovered = 1) AS recovered_revenue,
    sumIf(recovered_value, recovered = 1) / greatest(countIf(recovered = 1), 1)
        AS value_per_recovered_cart
FROM cart_outcomes
ARRAY JOIN [30, 60, 90] AS days
WHERE abandoned_at > now() - days * 86400 AND abandoned_at <= now()
    AND in_holdout = 0 AND currency IS NOT NULL
GROUP BY days, store_id, currency;

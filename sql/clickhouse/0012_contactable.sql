-- Contactable carts (docs/clickhouse.md, "Contactable carts"): only a cart whose customer has a
-- profile, is not do-not-contact and consents to a channel they have the details for gets contact
-- tasks (or is held out). Anonymous carts and carts without a usable channel are abandoned carts
-- all the same, with their value and reason, but nobody is contacted about them, so the boards
-- count them among abandoned carts and compute contact and recovery rates over contactable carts.
--
-- abandoned_carts.contactable is 1 for a contactable cart, 0 otherwise (the job writes it with
-- every cart). Rows written before this migration, or by an older job, read 1: such a job gave
-- every cart but do-not-contact and no-consented-channel ones a task, anonymous carts included, so
-- its carts count as it treated them and the boards' history keeps its numbers.
--
-- The column goes to the unpartitioned copy first (0011: its materialized view copies SELECT * of
-- every insert), at the same position in both tables, so that a copy made between the two
-- statements still finds it. Views are plain views, dropped and created again (safe to run twice;
-- a view holds no data), the dependent ones first. DROP TABLE because 18.16 has no DROP VIEW.

ALTER TABLE abandoned_carts_by_key
    ADD COLUMN IF NOT EXISTS contactable UInt8 DEFAULT 1
    COMMENT '1: the customer can be contacted (a profile, a consented channel with its details), the cart gets tasks or is held out; 0: anonymous, unknown or not contactable, no task'
    AFTER gap_seconds;

ALTER TABLE abandoned_carts
    ADD COLUMN IF NOT EXISTS contactable UInt8 DEFAULT 1
    COMMENT '1: the customer can be contacted (a profile, a consented channel with its details), the cart gets tasks or is held out; 0: anonymous, unknown or not contactable, no task'
    AFTER gap_seconds;

DROP TABLE IF EXISTS roi_30_60_90_money;

DROP TABLE IF EXISTS roi_30_60_90;

DROP TABLE IF EXISTS cart_outcomes;

DROP TABLE IF EXISTS abandoned_carts_latest;

CREATE VIEW IF NOT EXISTS abandoned_carts_latest AS
SELECT store_id, cart_id, customer_id, stage, reason, cart_value, currency, item_count,
    line_count, shipping_cost, opened_at, abandoned_at, detected_at, gap_seconds, contactable,
    version AS row_version
FROM abandoned_carts_by_key FINAL;

-- cart_outcomes (as in 0006) with contactable: a board divides by contactable carts.
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
    SELECT *
    FROM
    (
        SELECT *
        FROM
        (
            SELECT store_id, cart_id, stage, reason, cart_value, currency, abandoned_at,
                contactable
            FROM abandoned_carts_latest
        ) AS carts
        ANY LEFT JOIN
        (
            SELECT
                store_id,
                cart_id,
                1 AS contacted,
                min(assumeNotNull(attempted_at)) AS first_contact_at,
                count() AS attempts,
                max(reached) AS reached,
                max(responded) AS responded
            FROM contact_attempts_latest
            WHERE attempted_at IS NOT NULL
            GROUP BY store_id, cart_id
        ) AS contacts USING (store_id, cart_id)
    ) AS with_contacts
    ANY LEFT JOIN
    (
        SELECT
            store_id,
            cart_id,
            1 AS recovered,
            recovered_at,
            recovered_value,
            currency AS recovered_currency,
            channel AS recovered_channel,
            agent_id AS recovered_agent_id
        FROM recoveries_latest
    ) AS bought USING (store_id, cart_id)
) AS with_recoveries
ANY LEFT JOIN
(
    SELECT store_id, cart_id, 1 AS assigned, in_holdout
    FROM holdout_latest
) AS holdout_groups USING (store_id, cart_id);

-- roi_30_60_90 (as in 0009) with contactable_carts: abandoned_carts stays every cart outside the
-- holdout; contacted, recovered and the recovery rate are over contactable carts outside it (a
-- recovery of a cart nobody could contact is no recovery of the contact centre's).
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

-- Views behind the Grafana boards (dashboards/): one row per abandoned cart with what became of
-- it, and one row per contact task with its first-contact SLA. The boards filter them by event
-- time; keeping the joins here keeps every panel's SQL short and the same on every board.
--
-- Built on the *_latest views, so right before merges, like them. Portable to 18.16: one JOIN per
-- SELECT (nested for more), ANY LEFT JOIN ... USING, and no join_use_nulls: a cart without a match
-- gets the right side's defaults (0, '', 1970-01-01), so every right side carries a 1-valued flag
-- (contacted, recovered, assigned, attempted) that says whether it matched. Every joined subquery
-- has an alias: current releases refuse one without (joined_subquery_requires_alias).
-- Same alias rule as 0003: an aggregate is aliased to the column it aggregates, or to a new name.
--
-- Amended after release: the subquery aliases were added (the views are the same on 18.16, where
-- the first text was applied); a database that applied that text keeps it:
-- supersedes checksum 4085da0358714bc0e3cf96ecef25218312f531531e5c942a135155974f3a0dd8

-- One row per abandoned cart: first contact, recovery, holdout group. Cohort view: a board that
-- filters it by abandoned_at counts recoveries of the carts abandoned in its range, so a rate
-- never divides recoveries of one period by abandonments of another.
CREATE VIEW IF NOT EXISTS cart_outcomes AS
SELECT
    store_id,
    cart_id,
    stage,
    reason,
    cart_value,
    currency,
    abandoned_at,
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
            SELECT store_id, cart_id, stage, reason, cart_value, currency, abandoned_at
            FROM abandoned_carts_latest
        ) AS carts
        ANY LEFT JOIN
        (
            SELECT
                store_id,
                cart_id,
                1 AS contacted,
                min(started_at) AS first_contact_at,
                count() AS attempts,
                max(reached) AS reached,
                max(responded) AS responded
            FROM contact_attempts_latest
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

-- One row per contact task created, with its cancel (if any) and its first attempt (if any): the
-- first-contact SLA is met when the first attempt starts by due_by, or the cart was bought (the
-- task cancelled) before due_by.
CREATE VIEW IF NOT EXISTS task_sla AS
SELECT
    store_id,
    task_id,
    cart_id,
    channel,
    agent_id,
    stage,
    reason,
    abandoned_at,
    due_by,
    created_at,
    cancelled,
    cancelled_at,
    attempted,
    first_attempt_at
FROM
(
    SELECT
        store_id,
        task_id,
        anyIf(cart_id, type = 'create') AS cart_id,
        anyIf(channel, type = 'create') AS channel,
        anyIf(agent_id, type = 'create') AS agent_id,
        anyIf(stage, type = 'create') AS stage,
        anyIf(reason, type = 'create') AS reason,
        assumeNotNull(anyIf(abandoned_at, type = 'create')) AS abandoned_at,
        assumeNotNull(anyIf(due_by, type = 'create')) AS due_by,
        anyIf(occurred_at, type = 'create') AS created_at,
        max(type = 'cancel') AS cancelled,
        maxIf(occurred_at, type = 'cancel') AS cancelled_at,
        countIf(type = 'create') AS creates
    FROM contact_tasks_latest
    GROUP BY store_id, task_id
    HAVING creates > 0
) AS tasks
ANY LEFT JOIN
(
    SELECT task_id, 1 AS attempted, min(started_at) AS first_attempt_at
    FROM contact_attempts_latest
    GROUP BY task_id
) AS first_attempts USING (task_id);

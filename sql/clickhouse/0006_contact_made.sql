-- When a contact was made, not only when it was issued. contact_attempts.started_at is the event
-- time the follow-up issued the attempt (for a first attempt: the moment the cart's gap ran out), so
-- "first contact" measured by it was the gap itself and every cart with a task was "contacted within
-- 30 minutes" with the default gap. attempted_at is the event time of the attempt's first outcome
-- (the dialer's or messaging system's clock: the call placed, the message sent), null while no
-- outcome came; an attempt that expired or was cancelled without an outcome is no contact.
--
-- The views using it are redefined: plain views, dropped and created again (safe to run twice; a
-- view holds no data). DROP TABLE because 18.16 has no DROP VIEW; it drops views on every version.
--
-- Amended after release: the joined subqueries got aliases, as in 0004 (the views are the same on
-- 18.16, where the first text was applied); a database that applied that text keeps it:
-- supersedes checksum 904a390e75a22ad1b563f765a194edcd8ff8e5b0ceabedde3806ec488849d932

ALTER TABLE contact_attempts
    ADD COLUMN IF NOT EXISTS attempted_at Nullable(DateTime('UTC'))
    COMMENT 'event time of the first outcome: when the contact was made; null before'
    AFTER started_at;

DROP TABLE IF EXISTS contact_attempts_latest;

CREATE VIEW IF NOT EXISTS contact_attempts_latest AS
SELECT
    store_id,
    attempt_id,
    argMax(task_id, version) AS task_id,
    argMax(cart_id, version) AS cart_id,
    argMax(attempt, version) AS attempt,
    argMax(channel, version) AS channel,
    argMax(agent_id, version) AS agent_id,
    argMax(abandoned_at, version) AS abandoned_at,
    argMax(due_by, version) AS due_by,
    argMax(started_at, version) AS started_at,
    argMax(attempted_at, version) AS attempted_at,
    argMax(ended_at, version) AS ended_at,
    argMax(outcome, version) AS outcome,
    argMax(reached, version) AS reached,
    argMax(responded, version) AS responded,
    argMax(objection, version) AS objection,
    max(version) AS row_version
FROM contact_attempts
GROUP BY store_id, attempt_id;

-- cart_outcomes: contacted, first_contact_at, attempts, reached and responded now count attempts
-- that were made (had an outcome).
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

-- task_sla: the first-contact SLA is met when a contact was made by due_by (or the cart was bought
-- before it), not when the task was merely issued.
DROP TABLE IF EXISTS task_sla;

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
    SELECT task_id, 1 AS attempted, min(assumeNotNull(attempted_at)) AS first_attempt_at
    FROM contact_attempts_latest
    WHERE attempted_at IS NOT NULL
    GROUP BY task_id
) AS first_attempts USING (task_id);

-- Reading the facts correctly before parts merge: each *_latest view keeps the row with the highest
-- version of every key (argMax + GROUP BY key). Unlike FINAL it needs no merge, spans partitions,
-- and runs in parallel on every server version. Read facts through these views, never the tables.
--
-- The *_per_minute views count from the *_latest views, in event time; *_per_hour and *_per_day
-- add minutes up (every measure here is a count or a sum). Days and hours are UTC. Amounts are
-- summed per currency: never add up values of different currencies.
--
-- row_version is the version of the row that won: it orders a key's rows, e.g. a task's create and
-- cancel, where their wall-clock times tie within a second.
--
-- Alias rule (ClickHouse 18.16 substitutes aliases everywhere): an aggregate may be aliased to the
-- name of the column it aggregates, but never to a name used inside another aggregate; version is
-- therefore never aliased.

CREATE VIEW IF NOT EXISTS abandoned_carts_latest AS
SELECT
    store_id,
    cart_id,
    argMax(customer_id, version) AS customer_id,
    argMax(stage, version) AS stage,
    argMax(reason, version) AS reason,
    argMax(cart_value, version) AS cart_value,
    argMax(currency, version) AS currency,
    argMax(item_count, version) AS item_count,
    argMax(line_count, version) AS line_count,
    argMax(shipping_cost, version) AS shipping_cost,
    argMax(opened_at, version) AS opened_at,
    argMax(abandoned_at, version) AS abandoned_at,
    argMax(detected_at, version) AS detected_at,
    argMax(gap_seconds, version) AS gap_seconds,
    max(version) AS row_version
FROM abandoned_carts
GROUP BY store_id, cart_id;

CREATE VIEW IF NOT EXISTS contact_tasks_latest AS
SELECT
    store_id,
    task_id,
    type,
    argMax(cart_id, version) AS cart_id,
    argMax(attempt, version) AS attempt,
    argMax(channel, version) AS channel,
    argMax(agent_id, version) AS agent_id,
    argMax(stage, version) AS stage,
    argMax(reason, version) AS reason,
    argMax(cart_value, version) AS cart_value,
    argMax(currency, version) AS currency,
    argMax(abandoned_at, version) AS abandoned_at,
    argMax(detected_at, version) AS detected_at,
    argMax(due_by, version) AS due_by,
    argMax(cancel_reason, version) AS cancel_reason,
    argMax(cancelled_at, version) AS cancelled_at,
    argMax(order_id, version) AS order_id,
    argMax(occurred_at, version) AS occurred_at,
    argMax(emitted_at, version) AS emitted_at,
    max(version) AS row_version
FROM contact_tasks
GROUP BY store_id, task_id, type;

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
    argMax(ended_at, version) AS ended_at,
    argMax(outcome, version) AS outcome,
    argMax(reached, version) AS reached,
    argMax(responded, version) AS responded,
    argMax(objection, version) AS objection,
    max(version) AS row_version
FROM contact_attempts
GROUP BY store_id, attempt_id;

CREATE VIEW IF NOT EXISTS recoveries_latest AS
SELECT
    store_id,
    cart_id,
    argMax(order_id, version) AS order_id,
    argMax(abandoned_at, version) AS abandoned_at,
    argMax(recovered_at, version) AS recovered_at,
    argMax(recovered_value, version) AS recovered_value,
    argMax(currency, version) AS currency,
    argMax(task_id, version) AS task_id,
    argMax(channel, version) AS channel,
    argMax(agent_id, version) AS agent_id,
    argMax(contacted, version) AS contacted,
    argMax(in_holdout, version) AS in_holdout,
    max(version) AS row_version
FROM recoveries
GROUP BY store_id, cart_id;

CREATE VIEW IF NOT EXISTS holdout_latest AS
SELECT
    store_id,
    cart_id,
    argMax(in_holdout, version) AS in_holdout,
    argMax(assigned_at, version) AS assigned_at,
    max(version) AS row_version
FROM holdout
GROUP BY store_id, cart_id;

-- Abandoned carts and their value, by the minute the shopper left.
CREATE VIEW IF NOT EXISTS abandoned_carts_per_minute AS
SELECT
    toStartOfMinute(abandoned_at) AS minute,
    store_id,
    stage,
    reason,
    currency,
    count() AS carts,
    sum(cart_value) AS cart_value,
    sum(item_count) AS items
FROM abandoned_carts_latest
GROUP BY minute, store_id, stage, reason, currency;

CREATE VIEW IF NOT EXISTS abandoned_carts_per_hour AS
SELECT
    toStartOfHour(minute) AS hour,
    store_id,
    stage,
    reason,
    currency,
    sum(carts) AS carts,
    sum(cart_value) AS cart_value,
    sum(items) AS items
FROM abandoned_carts_per_minute
GROUP BY hour, store_id, stage, reason, currency;

CREATE VIEW IF NOT EXISTS abandoned_carts_per_day AS
SELECT
    toStartOfDay(minute) AS day,
    store_id,
    stage,
    reason,
    currency,
    sum(carts) AS carts,
    sum(cart_value) AS cart_value,
    sum(items) AS items
FROM abandoned_carts_per_minute
GROUP BY day, store_id, stage, reason, currency;

-- Task records (creates and cancels), by the event-time minute they occurred in.
CREATE VIEW IF NOT EXISTS contact_tasks_per_minute AS
SELECT
    toStartOfMinute(occurred_at) AS minute,
    store_id,
    type,
    cancel_reason,
    stage,
    reason,
    channel,
    agent_id,
    count() AS tasks
FROM contact_tasks_latest
GROUP BY minute, store_id, type, cancel_reason, stage, reason, channel, agent_id;

CREATE VIEW IF NOT EXISTS contact_tasks_per_hour AS
SELECT
    toStartOfHour(minute) AS hour,
    store_id,
    type,
    cancel_reason,
    stage,
    reason,
    channel,
    agent_id,
    sum(tasks) AS tasks
FROM contact_tasks_per_minute
GROUP BY hour, store_id, type, cancel_reason, stage, reason, channel, agent_id;

CREATE VIEW IF NOT EXISTS contact_tasks_per_day AS
SELECT
    toStartOfDay(minute) AS day,
    store_id,
    type,
    cancel_reason,
    stage,
    reason,
    channel,
    agent_id,
    sum(tasks) AS tasks
FROM contact_tasks_per_minute
GROUP BY day, store_id, type, cancel_reason, stage, reason, channel, agent_id;

-- Contact attempts by the minute they started.
CREATE VIEW IF NOT EXISTS contact_attempts_per_minute AS
SELECT
    toStartOfMinute(started_at) AS minute,
    store_id,
    channel,
    agent_id,
    outcome,
    count() AS attempts,
    sum(reached) AS reached,
    sum(responded) AS responded,
    countIf(started_at <= due_by) AS within_sla
FROM contact_attempts_latest
GROUP BY minute, store_id, channel, agent_id, outcome;

CREATE VIEW IF NOT EXISTS contact_attempts_per_hour AS
SELECT
    toStartOfHour(minute) AS hour,
    store_id,
    channel,
    agent_id,
    outcome,
    sum(attempts) AS attempts,
    sum(reached) AS reached,
    sum(responded) AS responded,
    sum(within_sla) AS within_sla
FROM contact_attempts_per_minute
GROUP BY hour, store_id, channel, agent_id, outcome;

CREATE VIEW IF NOT EXISTS contact_attempts_per_day AS
SELECT
    toStartOfDay(minute) AS day,
    store_id,
    channel,
    agent_id,
    outcome,
    sum(attempts) AS attempts,
    sum(reached) AS reached,
    sum(responded) AS responded,
    sum(within_sla) AS within_sla
FROM contact_attempts_per_minute
GROUP BY day, store_id, channel, agent_id, outcome;

-- Recoveries and recovered value by the minute of the purchase.
CREATE VIEW IF NOT EXISTS recoveries_per_minute AS
SELECT
    toStartOfMinute(recovered_at) AS minute,
    store_id,
    channel,
    agent_id,
    contacted,
    in_holdout,
    currency,
    count() AS recoveries,
    sum(recovered_value) AS recovered_value
FROM recoveries_latest
GROUP BY minute, store_id, channel, agent_id, contacted, in_holdout, currency;

CREATE VIEW IF NOT EXISTS recoveries_per_hour AS
SELECT
    toStartOfHour(minute) AS hour,
    store_id,
    channel,
    agent_id,
    contacted,
    in_holdout,
    currency,
    sum(recoveries) AS recoveries,
    sum(recovered_value) AS recovered_value
FROM recoveries_per_minute
GROUP BY hour, store_id, channel, agent_id, contacted, in_holdout, currency;

CREATE VIEW IF NOT EXISTS recoveries_per_day AS
SELECT
    toStartOfDay(minute) AS day,
    store_id,
    channel,
    agent_id,
    contacted,
    in_holdout,
    currency,
    sum(recoveries) AS recoveries,
    sum(recovered_value) AS recovered_value
FROM recoveries_per_minute
GROUP BY day, store_id, channel, agent_id, contacted, in_holdout, currency;

-- Carts assigned to each group by minute: with recoveries_* the recovery rate of both groups.
CREATE VIEW IF NOT EXISTS holdout_per_minute AS
SELECT
    toStartOfMinute(assigned_at) AS minute,
    store_id,
    in_holdout,
    count() AS carts
FROM holdout_latest
GROUP BY minute, store_id, in_holdout;

CREATE VIEW IF NOT EXISTS holdout_per_hour AS
SELECT
    toStartOfHour(minute) AS hour,
    store_id,
    in_holdout,
    sum(carts) AS carts
FROM holdout_per_minute
GROUP BY hour, store_id, in_holdout;

CREATE VIEW IF NOT EXISTS holdout_per_day AS
SELECT
    toStartOfDay(minute) AS day,
    store_id,
    in_holdout,
    sum(carts) AS carts
FROM holdout_per_minute
GROUP BY day, store_id, in_holdout;

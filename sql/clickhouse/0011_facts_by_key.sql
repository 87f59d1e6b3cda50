-- Boards at scale (docs/clickhouse.md, "Boards at scale"): the latest row of every fact read with
-- FINAL, a merge of sorted parts, instead of a GROUP BY of every key (argMax) on every read.
--
-- FINAL keeps the row with the highest version of each key, as the argMax views do, but only
-- within a partition. The fact tables are partitioned by a month of a column that is not part of
-- their key (opened_at, occurred_at, started_at, recovered_at, assigned_at, raised_at): a key whose
-- column moved to another month between writes would be counted twice. Each fact table therefore
-- gets a copy that is not partitioned, X_by_key: same columns, same ReplacingMergeTree(version),
-- same key, every row of a key in the one partition, so FINAL there equals argMax over X. A
-- materialized view copies every insert into X to X_by_key as it is, repeats included: the copy
-- replaces by key and version exactly as X does, so re-insertion (a restart, a replay, an outcome
-- written over a pending attempt, a cart reported again with new contents) gives the same latest
-- row in both. The rows already in X are copied once, after the view exists (no insert falls in
-- between); running this file again copies them again, rows that replace themselves.
--
-- The *_latest views keep their columns and meaning and now read the copies with FINAL, so every
-- view, panel and alert rule built on them reads the same rows, faster. A column added to a fact
-- table later must be added to its X_by_key first (the view copies SELECT *).
-- Retention: drop a month from X (DROP PARTITION) and the same rows from X_by_key
-- (ALTER TABLE ... DELETE WHERE the partition column is in that month).

CREATE TABLE IF NOT EXISTS abandoned_carts_by_key AS abandoned_carts
ENGINE = ReplacingMergeTree(version) ORDER BY (store_id, cart_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS abandoned_carts_by_key_mv TO abandoned_carts_by_key
AS SELECT * FROM abandoned_carts;

INSERT INTO abandoned_carts_by_key SELECT * FROM abandoned_carts;

CREATE TABLE IF NOT EXISTS contact_tasks_by_key AS contact_tasks
ENGINE = ReplacingMergeTree(version) ORDER BY (store_id, task_id, type);

CREATE MATERIALIZED VIEW IF NOT EXISTS contact_tasks_by_key_mv TO contact_tasks_by_key
AS SELECT * FROM contact_tasks;

INSERT INTO contact_tasks_by_key SELECT * FROM contact_tasks;

CREATE TABLE IF NOT EXISTS contact_attempts_by_key AS contact_attempts
ENGINE = ReplacingMergeTree(version) ORDER BY (store_id, attempt_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS contact_attempts_by_key_mv TO contact_attempts_by_key
AS SELECT * FROM contact_attempts;

INSERT INTO contact_attempts_by_key SELECT * FROM contact_attempts;

CREATE TABLE IF NOT EXISTS recoveries_by_key AS recoveries
ENGINE = ReplacingMergeTree(version) ORDER BY (store_id, cart_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS recoveries_by_key_mv TO recoveries_by_key
AS SELECT * FROM recoveries;

INSERT INTO recoveries_by_key SELECT * FROM recoveries;

CREATE TABLE IF NOT EXISTS holdout_by_key AS holdout
ENGINE = ReplacingMergeTree(version) ORDER BY (store_id, cart_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS holdout_by_key_mv TO holdout_by_key
AS SELECT * FROM holdout;

INSERT INTO holdout_by_key SELECT * FROM holdout;

CREATE TABLE IF NOT EXISTS alerts_by_key AS alerts
ENGINE = ReplacingMergeTree(version) ORDER BY alert_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS alerts_by_key_mv TO alerts_by_key
AS SELECT * FROM alerts;

INSERT INTO alerts_by_key SELECT * FROM alerts;

-- The latest views, same columns in the same order; row_version is the winning row's version.
-- Plain views, dropped and created again (safe to run twice). DROP TABLE because 18.16 has no
-- DROP VIEW.
DROP TABLE IF EXISTS abandoned_carts_latest;

CREATE VIEW IF NOT EXISTS abandoned_carts_latest AS
SELECT store_id, cart_id, customer_id, stage, reason, cart_value, currency, item_count,
    line_count, shipping_cost, opened_at, abandoned_at, detected_at, gap_seconds,
    version AS row_version
FROM abandoned_carts_by_key FINAL;

DROP TABLE IF EXISTS contact_tasks_latest;

CREATE VIEW IF NOT EXISTS contact_tasks_latest AS
SELECT store_id, task_id, type, cart_id, attempt, channel, agent_id, stage, reason, cart_value,
    currency, abandoned_at, detected_at, due_by, cancel_reason, cancelled_at, order_id,
    occurred_at, emitted_at, version AS row_version
FROM contact_tasks_by_key FINAL;

DROP TABLE IF EXISTS contact_attempts_latest;

CREATE VIEW IF NOT EXISTS contact_attempts_latest AS
SELECT store_id, attempt_id, task_id, cart_id, attempt, channel, agent_id, abandoned_at, due_by,
    started_at, attempted_at, ended_at, outcome, reached, responded, objection,
    version AS row_version
FROM contact_attempts_by_key FINAL;

DROP TABLE IF EXISTS recoveries_latest;

CREATE VIEW IF NOT EXISTS recoveries_latest AS
SELECT store_id, cart_id, order_id, abandoned_at, recovered_at, recovered_value, currency, task_id,
    channel, agent_id, contacted, in_holdout, version AS row_version
FROM recoveries_by_key FINAL;

DROP TABLE IF EXISTS holdout_latest;

CREATE VIEW IF NOT EXISTS holdout_latest AS
SELECT store_id, cart_id, in_holdout, assigned_at, version AS row_version
FROM holdout_by_key FINAL;

DROP TABLE IF EXISTS alerts_latest;

CREATE VIEW IF NOT EXISTS alerts_latest AS
SELECT alert_id, type, raised_at, store_id, task_id, agent_id, cause, version AS row_version
FROM alerts_by_key FINAL;

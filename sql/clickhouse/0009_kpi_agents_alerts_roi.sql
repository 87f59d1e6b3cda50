-- The contact KPI windows gain the agent dimension, first contacts (count, seconds, within 30
-- minutes, the minute's p50 and p90) and the holdout (carts treated and held out, natural
-- recoveries); alerts get windows of their own; minutes roll up into hours and days; 30/60/90-day
-- views for ROI (sql/flink/contact_kpi_minute.sql and alert_kpi_minute.sql say what each counts).
--
-- agent_id joins the sorting key (the ReplacingMergeTree's row identity), added with its column in
-- one ALTER as ClickHouse requires. Windows written before this migration keep agent_id ''; a
-- replay over their minutes writes rows per agent beside them, so replay such minutes into a fresh
-- database (docs/clickhouse.md). Views are plain views, dropped and created again (safe to run
-- twice; a view holds no data). DROP TABLE because 18.16 has no DROP VIEW.

ALTER TABLE contact_kpi_minute
    ADD COLUMN IF NOT EXISTS agent_id String
    COMMENT 'agent who made the attempt or is credited with the recovery; empty for none'
    AFTER channel,
    MODIFY ORDER BY (store_id, window_start, channel, currency, agent_id);

ALTER TABLE contact_kpi_minute
    ADD COLUMN IF NOT EXISTS first_contacts UInt64
    COMMENT 'carts contacted for the first time in the minute (prospects attempted)'
    AFTER responded;

ALTER TABLE contact_kpi_minute
    ADD COLUMN IF NOT EXISTS first_contact_seconds UInt64
    COMMENT 'sum of their seconds from the cart''s last activity to the first contact'
    AFTER first_contacts;

ALTER TABLE contact_kpi_minute
    ADD COLUMN IF NOT EXISTS first_contacts_within_30m UInt64
    COMMENT 'first contacts within 1800 s of the cart''s last activity'
    AFTER first_contact_seconds;

ALTER TABLE contact_kpi_minute
    ADD COLUMN IF NOT EXISTS first_contact_p50_seconds Nullable(Float64)
    COMMENT 'median seconds to first contact of the minute (interpolated); null without any'
    AFTER first_contacts_within_30m;

ALTER TABLE contact_kpi_minute
    ADD COLUMN IF NOT EXISTS first_contact_p90_seconds Nullable(Float64)
    COMMENT '90th percentile of seconds to first contact of the minute (interpolated)'
    AFTER first_contact_p50_seconds;

ALTER TABLE contact_kpi_minute
    ADD COLUMN IF NOT EXISTS carts_treated UInt64
    COMMENT 'contactable carts put in the contacted group in the minute'
    AFTER recovered_value;

ALTER TABLE contact_kpi_minute
    ADD COLUMN IF NOT EXISTS carts_held_out UInt64
    COMMENT 'contactable carts held out (no contact, the baseline) in the minute'
    AFTER carts_treated;

ALTER TABLE contact_kpi_minute
    ADD COLUMN IF NOT EXISTS holdout_recoveries UInt64
    COMMENT 'held-out carts bought in the minute (natural recoveries)'
    AFTER carts_held_out;

ALTER TABLE contact_kpi_minute
    ADD COLUMN IF NOT EXISTS holdout_recovered_value Decimal(18, 4)
    COMMENT 'their value, exact, in currency'
    AFTER holdout_recoveries;

DROP TABLE IF EXISTS contact_kpi_minute_latest;

CREATE VIEW IF NOT EXISTS contact_kpi_minute_latest AS
SELECT
    store_id,
    window_start,
    channel,
    agent_id,
    currency,
    argMax(attempts, version) AS attempts,
    argMax(reached, version) AS reached,
    argMax(responded, version) AS responded,
    argMax(first_contacts, version) AS first_contacts,
    argMax(first_contact_seconds, version) AS first_contact_seconds,
    argMax(first_contacts_within_30m, version) AS first_contacts_within_30m,
    argMax(first_contact_p50_seconds, version) AS first_contact_p50_seconds,
    argMax(first_contact_p90_seconds, version) AS first_contact_p90_seconds,
    argMax(recoveries, version) AS recoveries,
    argMax(recovered_value, version) AS recovered_value,
    argMax(carts_treated, version) AS carts_treated,
    argMax(carts_held_out, version) AS carts_held_out,
    argMax(holdout_recoveries, version) AS holdout_recoveries,
    argMax(holdout_recovered_value, version) AS holdout_recovered_value,
    max(version) AS row_version
FROM contact_kpi_minute
GROUP BY store_id, window_start, channel, agent_id, currency;

-- Alerts raised per minute of event time, store, agent and type, written by the job when the
-- minute closes; a window written again replaces its row.
CREATE TABLE IF NOT EXISTS alert_kpi_minute
(
    store_id     String COMMENT 'empty for alerts of no store (the queue)',
    window_start DateTime('UTC') COMMENT 'start of the minute, event time',
    agent_id     String COMMENT 'the agent concerned; empty for none',
    type         String COMMENT 'sla_at_risk, sla_breached, agent_over_capacity, queue_growing',
    alerts       UInt64 COMMENT 'alerts raised in the minute',
    version      UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(window_start)
ORDER BY (store_id, window_start, agent_id, type);

CREATE VIEW IF NOT EXISTS alert_kpi_minute_latest AS
SELECT
    store_id,
    window_start,
    agent_id,
    type,
    argMax(alerts, version) AS alerts,
    max(version) AS row_version
FROM alert_kpi_minute
GROUP BY store_id, window_start, agent_id, type;

-- Minutes rolled into hours and days: sums only, from which every rate and average of the
-- windows derives (sql/flink/*.sql). The minute's percentiles do not add up: a range's p50 and p90
-- read the facts (cart_outcomes).
CREATE VIEW IF NOT EXISTS kpi_per_hour AS
SELECT
    toStartOfHour(window_start) AS hour,
    store_id,
    stage,
    reason,
    currency,
    sum(carts_abandoned) AS carts_abandoned,
    sum(abandoned_value) AS abandoned_value,
    sum(tasks_created) AS tasks_created,
    sum(tasks_cancelled) AS tasks_cancelled,
    sum(carts_created) AS carts_created
FROM kpi_minute_latest
GROUP BY hour, store_id, stage, reason, currency;

CREATE VIEW IF NOT EXISTS kpi_per_day AS
SELECT
    toStartOfDay(hour) AS day,
    store_id,
    stage,
    reason,
    currency,
    sum(carts_abandoned) AS carts_abandoned,
    sum(abandoned_value) AS abandoned_value,
    sum(tasks_created) AS tasks_created,
    sum(tasks_cancelled) AS tasks_cancelled,
    sum(carts_created) AS carts_created
FROM kpi_per_hour
GROUP BY day, store_id, stage, reason, currency;

CREATE VIEW IF NOT EXISTS contact_kpi_per_hour AS
SELECT
    toStartOfHour(window_start) AS hour,
    store_id,
    channel,
    agent_id,
    currency,
    sum(attempts) AS attempts,
    sum(reached) AS reached,
    sum(responded) AS responded,
    sum(first_contacts) AS first_contacts,
    sum(first_contact_seconds) AS first_contact_seconds,
    sum(first_contacts_within_30m) AS first_contacts_within_30m,
    sum(recoveries) AS recoveries,
    sum(recovered_value) AS recovered_value,
    sum(carts_treated) AS carts_treated,
    sum(carts_held_out) AS carts_held_out,
    sum(holdout_recoveries) AS holdout_recoveries,
    sum(holdout_recovered_value) AS holdout_recovered_value
FROM contact_kpi_minute_latest
GROUP BY hour, store_id, channel, agent_id, currency;

CREATE VIEW IF NOT EXISTS contact_kpi_per_day AS
SELECT
    toStartOfDay(hour) AS day,
    store_id,
    channel,
    agent_id,
    currency,
    sum(attempts) AS attempts,
    sum(reached) AS reached,
    sum(responded) AS responded,
    sum(first_contacts) AS first_contacts,
    sum(first_contact_seconds) AS first_contact_seconds,
    sum(first_contacts_within_30m) AS first_contacts_within_30m,
    sum(recoveries) AS recoveries,
    sum(recovered_value) AS recovered_value,
    sum(carts_treated) AS carts_treated,
    sum(carts_held_out) AS carts_held_out,
    sum(holdout_recoveries) AS holdout_recoveries,
    sum(holdout_recovered_value) AS holdout_recovered_value
FROM contact_kpi_per_hour
GROUP BY day, store_id, channel, agent_id, currency;

CREATE VIEW IF NOT EXISTS alert_kpi_per_hour AS
SELECT
    toStartOfHour(window_start) AS hour,
    store_id,
    agent_id,
    type,
    sum(alerts) AS alerts
FROM alert_kpi_minute_latest
GROUP BY hour, store_id, agent_id, type;

CREATE VIEW IF NOT EXISTS alert_kpi_per_day AS
SELECT
    toStartOfDay(hour) AS day,
    store_id,
    agent_id,
    type,
    sum(alerts) AS alerts
FROM alert_kpi_per_hour
GROUP BY day, store_id, agent_id, type;

-- ROI at 30, 60 and 90 days up to now, per store, from the facts (cohorts of carts by when they
-- were abandoned, so a recovery counts with its cart): the seed article's milestones. The contacted
-- group only, except the lift, which compares it with the holdout.
CREATE VIEW IF NOT EXISTS roi_30_60_90 AS
SELECT
    days,
    store_id,
    countIf(in_holdout = 0) AS abandoned_carts,
    countIf(in_holdout = 0 AND contacted = 1) AS contacted_carts,
    countIf(in_holdout = 0 AND contacted = 1 AND first_contact_at <= abandoned_at + 1800)
        AS contacted_within_30_min,
    sumIf(attempts, in_holdout = 0 AND contacted = 1) AS attempts,
    countIf(in_holdout = 0 AND recovered = 1) AS recovered_carts,
    countIf(in_holdout = 0 AND recovered = 1) / greatest(countIf(in_holdout = 0), 1)
        AS recovery_rate,
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

-- The money of the same milestones, per currency (never summed across currencies).
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

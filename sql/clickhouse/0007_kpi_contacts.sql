-- Abandonment rate and contact KPIs per minute (sql/flink/kpi_minute.sql and
-- sql/flink/contact_kpi_minute.sql).
--
-- kpi_minute gains carts_created: carts opened in the minute, counted under stage, reason and
-- currency '' (a created cart knows only its store). The abandonment rate of a store is
-- sum(carts_abandoned) / sum(carts_created). Rows written before this migration read 0.
-- kpi_minute_latest is redefined: a plain view, dropped and created again (safe to run twice; a
-- view holds no data). DROP TABLE because 18.16 has no DROP VIEW; it drops views on every version.

ALTER TABLE kpi_minute
    ADD COLUMN IF NOT EXISTS carts_created UInt64
    COMMENT 'carts opened (first item added) in the minute; stage, reason, currency empty'
    AFTER tasks_cancelled;

DROP TABLE IF EXISTS kpi_minute_latest;

CREATE VIEW IF NOT EXISTS kpi_minute_latest AS
SELECT
    store_id,
    window_start,
    stage,
    reason,
    currency,
    argMax(carts_abandoned, version) AS carts_abandoned,
    argMax(abandoned_value, version) AS abandoned_value,
    argMax(tasks_created, version) AS tasks_created,
    argMax(tasks_cancelled, version) AS tasks_cancelled,
    argMax(carts_created, version) AS carts_created,
    max(version) AS row_version
FROM kpi_minute
GROUP BY store_id, window_start, stage, reason, currency;

-- The per-minute contact KPI windows computed by the job: one row per closed minute of event time
-- and store, channel and currency. Written again after a restart or by a replay under the same key
-- (the window and its dimensions), so a repeat replaces the row. Read through
-- contact_kpi_minute_latest. The response rate of a channel is sum(responded) / sum(attempts).
CREATE TABLE IF NOT EXISTS contact_kpi_minute
(
    store_id        String,
    window_start    DateTime('UTC') COMMENT 'start of the minute, event time',
    channel         String COMMENT 'channel of the attempt; empty when unknown',
    currency        String COMMENT 'of recovered_value; empty on rows of attempts only',
    attempts        UInt64 COMMENT 'attempts made: their first outcome is in the minute',
    reached         UInt64 COMMENT 'attempts whose first outcome reaching the shopper is in the minute',
    responded       UInt64 COMMENT 'attempts whose first response of the shopper is in the minute',
    recoveries      UInt64 COMMENT 'purchases in the minute attributed to an attempt of the channel',
    recovered_value Decimal(18, 4) COMMENT 'their value, exact, in currency',
    version         UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(window_start)
ORDER BY (store_id, window_start, channel, currency);

-- The latest row of every window and dimensions (argMax, as the other *_latest views), right
-- before parts merge. Same alias rule as 0003: version is never aliased.
CREATE VIEW IF NOT EXISTS contact_kpi_minute_latest AS
SELECT
    store_id,
    window_start,
    channel,
    currency,
    argMax(attempts, version) AS attempts,
    argMax(reached, version) AS reached,
    argMax(responded, version) AS responded,
    argMax(recoveries, version) AS recoveries,
    argMax(recovered_value, version) AS recovered_value,
    max(version) AS row_version
FROM contact_kpi_minute
GROUP BY store_id, window_start, channel, currency;

-- The per-minute KPI windows computed by the job (sql/flink/kpi_minute.sql): one row per closed
-- minute of event time and store, stage, reason and currency. A window is written once when it
-- closes, and again after a restart from a checkpoint or by a replay: the key is the window and its
-- dimensions, so a repeat replaces the row rather than adding to it. Read through kpi_minute_latest.
CREATE TABLE IF NOT EXISTS kpi_minute
(
    store_id        String,
    window_start    DateTime('UTC') COMMENT 'start of the minute, event time',
    stage           String COMMENT 'empty for cancels (a cancel knows only its store)',
    reason          String COMMENT 'empty for cancels',
    currency        String COMMENT 'empty for cancels and carts without prices',
    carts_abandoned UInt64 COMMENT 'carts whose last activity (abandoned_at) is in the minute',
    abandoned_value Decimal(18, 4) COMMENT 'their value, exact, in currency',
    tasks_created   UInt64 COMMENT 'tasks created whose cart gap ran out in the minute',
    tasks_cancelled UInt64 COMMENT 'tasks cancelled by a purchase or emptying in the minute',
    version         UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(window_start)
ORDER BY (store_id, window_start, stage, reason, currency);

-- The latest row of every window and dimensions (argMax, as the other *_latest views), right
-- before parts merge. Same alias rule as 0003: version is never aliased.
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
    max(version) AS row_version
FROM kpi_minute
GROUP BY store_id, window_start, stage, reason, currency;

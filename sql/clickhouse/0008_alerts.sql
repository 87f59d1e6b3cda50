-- Supervisor alerts (docs/assignment.md): one row per alert id, so a replayed or restarted job that
-- raises the same alert again (deterministic ids) replaces the row. Ids and counts only: no
-- personal data. Read through alerts_latest.
CREATE TABLE IF NOT EXISTS alerts
(
    alert_id    String,
    type        String COMMENT 'sla_at_risk, sla_breached, agent_over_capacity, queue_growing',
    raised_at   DateTime('UTC') COMMENT 'event time the situation arose',
    store_id    String COMMENT 'the task''s store; empty for alerts of no store (queue, agent)',
    task_id     String COMMENT 'SLA alerts; else empty',
    agent_id    String COMMENT 'assigned call or agent over capacity; else empty',
    cause       String COMMENT 'unassigned or not_contacted (SLA), the limit exceeded; else empty',
    version     UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(raised_at)
ORDER BY alert_id;

CREATE VIEW IF NOT EXISTS alerts_latest AS
SELECT
    alert_id,
    argMax(type, version) AS type,
    argMax(raised_at, version) AS raised_at,
    argMax(store_id, version) AS store_id,
    argMax(task_id, version) AS task_id,
    argMax(agent_id, version) AS agent_id,
    argMax(cause, version) AS cause,
    max(version) AS row_version
FROM alerts
GROUP BY alert_id;

-- alert_kpi_minute: per minute of event time (UTC) and per store, agent and type, how many
-- supervisor alerts were raised (docs/assignment.md: sla_at_risk, sla_breached,
-- agent_over_capacity, queue_growing).
--
-- Input (io.cartrecovery.kpi.Kpis registers it; io.cartrecovery.kpi.KpiStreams derives it from
-- the assignment's alerts):
--   alert_events (store_id, agent_id, type, raised_at)
-- raised_at is TIMESTAMP(3) in UTC, the event time the situation arose; in a streaming job the
-- table's event-time attribute. Alerts of no store (the queue) or no agent count under ''.
-- One row per window and dimensions once the window's end passes the watermark; a window replayed
-- gives the same row again (the sink keys by minute and dimensions).
WITH alerts AS (
    SELECT COALESCE(store_id, '') AS store_id, COALESCE(agent_id, '') AS agent_id, type,
           raised_at
    FROM alert_events
)
SELECT window_start AS minute_start,
       store_id,
       agent_id,
       type,
       COUNT(*) AS alerts
FROM TABLE(TUMBLE(TABLE alerts, DESCRIPTOR(raised_at), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, store_id, agent_id, type

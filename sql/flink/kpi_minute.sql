-- kpi_minute: per minute of event time (UTC) and per store, stage, reason and currency, how many
-- carts were abandoned and how much value they held (exact, per currency, never summed across
-- currencies), how many contact tasks were created and cancelled, and how many carts were created
-- (the denominator of the abandonment rate).
--
-- Inputs (io.cartrecovery.kpi.Kpis registers them):
--   abandoned_carts (store_id, stage, reason, currency, cart_value DECIMAL(18, 4), abandoned_at)
--   contact_tasks   (store_id, type 'create' | 'cancel', stage, reason, currency, occurred_at)
--   created_carts   (store_id, created_at)
-- Times are TIMESTAMP(3) in UTC; in a streaming job they are the tables' event-time attributes.
-- Carts count by abandoned_at (the shopper's last activity), tasks by occurred_at (a create when
-- the cart's gap ran out, a cancel at the purchase or emptying), created carts by created_at (the
-- event that put the first item in): the times the ClickHouse
-- *_per_minute views use. Unlike them, the windows count every report: a cart abandoned again
-- after its report counts twice (the views count its latest report only).
-- A cancel and a created cart know only their store: they count under stage, reason and
-- currency ''; the abandonment rate of a store is its carts abandoned over its carts created. Carts without
-- prices (currency null) count under currency '' too.
-- One row per window and dimensions once the window's end passes the watermark; a window replayed
-- gives the same row again (the sink keys by minute and dimensions).
WITH facts AS (
    SELECT store_id, stage, reason, COALESCE(currency, '') AS currency,
           1 AS cart, cart_value, 0 AS created, 0 AS cancelled, 0 AS opened,
           abandoned_at AS event_time
    FROM abandoned_carts
    UNION ALL
    SELECT store_id, COALESCE(stage, ''), COALESCE(reason, ''), COALESCE(currency, ''),
           0, CAST(0 AS DECIMAL(18, 4)),
           CASE WHEN type = 'create' THEN 1 ELSE 0 END,
           CASE WHEN type = 'cancel' THEN 1 ELSE 0 END,
           0,
           occurred_at
    FROM contact_tasks
    UNION ALL
    SELECT store_id, '', '', '', 0, CAST(0 AS DECIMAL(18, 4)), 0, 0, 1, created_at
    FROM created_carts
)
SELECT window_start AS minute_start,
       store_id,
       stage,
       reason,
       currency,
       CAST(SUM(cart) AS BIGINT) AS carts_abandoned,
       SUM(cart_value) AS abandoned_value,
       CAST(SUM(created) AS BIGINT) AS tasks_created,
       CAST(SUM(cancelled) AS BIGINT) AS tasks_cancelled,
       CAST(SUM(opened) AS BIGINT) AS carts_created
FROM TABLE(TUMBLE(TABLE facts, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, store_id, stage, reason, currency

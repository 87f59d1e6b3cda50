-- contact_kpi_minute: per minute of event time (UTC) and per store, channel and currency, how many
-- contact attempts were made, how many reached the shopper and how many got a response (the
-- response rate by channel is responded / attempts), and how many carts were recovered with how
-- much value (exact, per currency, never summed across currencies).
--
-- Input (io.cartrecovery.kpi.Kpis registers it; io.cartrecovery.kpi.KpiStreams derives it from
-- the follow-up's task events):
--   contact_events (store_id, channel, type, currency, recovered_value DECIMAL(18, 4), occurred_at)
--   type 'attempted': the attempt's first outcome (the contact was made), once per attempt;
--        'reached' / 'responded': the attempt's first outcome that reached the shopper / that the
--        shopper answered, once per attempt each;
--        'recovered': a purchase attributed to an attempt of the channel, with its value.
-- Times are TIMESTAMP(3) in UTC, the outcome's or the purchase's event time; in a streaming job the
-- table's event-time attribute. Attempts, reached and responded count under currency '';
-- recoveries without a currency too.
-- One row per window and dimensions once the window's end passes the watermark; a window replayed
-- gives the same row again (the sink keys by minute and dimensions).
WITH contacts AS (
    SELECT COALESCE(store_id, '') AS store_id, COALESCE(channel, '') AS channel, type,
           COALESCE(currency, '') AS currency,
           COALESCE(recovered_value, CAST(0 AS DECIMAL(18, 4))) AS recovered_value,
           occurred_at
    FROM contact_events
)
SELECT window_start AS minute_start,
       store_id,
       channel,
       currency,
       CAST(SUM(CASE WHEN type = 'attempted' THEN 1 ELSE 0 END) AS BIGINT) AS attempts,
       CAST(SUM(CASE WHEN type = 'reached' THEN 1 ELSE 0 END) AS BIGINT) AS reached,
       CAST(SUM(CASE WHEN type = 'responded' THEN 1 ELSE 0 END) AS BIGINT) AS responded,
       CAST(SUM(CASE WHEN type = 'recovered' THEN 1 ELSE 0 END) AS BIGINT) AS recoveries,
       SUM(recovered_value) AS recovered_value
FROM TABLE(TUMBLE(TABLE contacts, DESCRIPTOR(occurred_at), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, store_id, channel, currency

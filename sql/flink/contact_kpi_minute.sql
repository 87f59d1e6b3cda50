-- contact_kpi_minute: per minute of event time (UTC) and per store, channel, agent and currency,
-- what the follow-up did and what came of it:
--   attempts, reached, responded: attempts made (their first outcome), attempts that reached the
--     shopper, attempts the shopper answered, each once per attempt. Response rate of a channel:
--     responded / attempts. Reach rate of an agent: reached / attempts.
--   first_contacts: carts contacted for the first time (the prospects attempted); attempts per
--     prospect: attempts / first_contacts. first_contact_seconds: the sum of their seconds from
--     the cart's last activity to the first contact (average: first_contact_seconds /
--     first_contacts, exact over any range); first_contacts_within_30m: those within 1,800 s
--     (% contacted within 30 minutes: first_contacts_within_30m / first_contacts);
--     first_contact_p50_seconds / _p90_seconds: the minute's percentiles (interpolated; percentiles
--     of minutes do not add up to a range's: ranges read the facts, docs/clickhouse.md).
--   recoveries, recovered_value: contacted-group carts bought within the attribution window,
--     credited to the attempt that reached the shopper (its channel and agent), else under '';
--     the value exact, per currency, never summed across currencies.
--   carts_treated, carts_held_out: contactable carts put in the contacted group or held out;
--   holdout_recoveries, holdout_recovered_value: held-out carts bought (natural recoveries).
--     Recovery rate vs holdout (lift): recoveries / carts_treated - holdout_recoveries /
--     carts_held_out.
--
-- Input (io.cartrecovery.kpi.Kpis registers it; io.cartrecovery.kpi.KpiStreams derives it from
-- the follow-up's facts, each step once):
--   contact_events (store_id, channel, agent_id, type, currency, recovered_value DECIMAL(18, 4),
--                   seconds BIGINT, occurred_at)
--   type: 'attempted', 'first_contact' (with seconds), 'reached', 'responded', 'recovered' and
--         'holdout_recovered' (with currency and value), 'treated', 'held_out'.
-- Times are TIMESTAMP(3) in UTC, the step's event time (an outcome's, a purchase's, the cart's
-- detection for treated and held out); in a streaming job the table's event-time attribute.
-- Missing channel, agent and currency count under ''.
-- One row per window and dimensions once the window's end passes the watermark; a window replayed
-- gives the same row again (the sink keys by minute and dimensions).
WITH contacts AS (
    SELECT COALESCE(store_id, '') AS store_id, COALESCE(channel, '') AS channel,
           COALESCE(agent_id, '') AS agent_id, type, COALESCE(currency, '') AS currency,
           COALESCE(recovered_value, CAST(0 AS DECIMAL(18, 4))) AS recovered_value,
           CASE WHEN type = 'first_contact' THEN seconds END AS first_contact_seconds,
           occurred_at
    FROM contact_events
)
SELECT window_start AS minute_start,
       store_id,
       channel,
       agent_id,
       currency,
       CAST(SUM(CASE WHEN type = 'attempted' THEN 1 ELSE 0 END) AS BIGINT) AS attempts,
       CAST(SUM(CASE WHEN type = 'reached' THEN 1 ELSE 0 END) AS BIGINT) AS reached,
       CAST(SUM(CASE WHEN type = 'responded' THEN 1 ELSE 0 END) AS BIGINT) AS responded,
       CAST(SUM(CASE WHEN type = 'first_contact' THEN 1 ELSE 0 END) AS BIGINT) AS first_contacts,
       CAST(COALESCE(SUM(first_contact_seconds), 0) AS BIGINT) AS first_contact_seconds,
       CAST(SUM(CASE WHEN first_contact_seconds <= 1800 THEN 1 ELSE 0 END) AS BIGINT)
           AS first_contacts_within_30m,
       PERCENTILE(first_contact_seconds, 0.5) AS first_contact_p50_seconds,
       PERCENTILE(first_contact_seconds, 0.9) AS first_contact_p90_seconds,
       CAST(SUM(CASE WHEN type = 'recovered' THEN 1 ELSE 0 END) AS BIGINT) AS recoveries,
       SUM(CASE WHEN type = 'recovered' THEN recovered_value ELSE CAST(0 AS DECIMAL(18, 4)) END)
           AS recovered_value,
       CAST(SUM(CASE WHEN type = 'treated' THEN 1 ELSE 0 END) AS BIGINT) AS carts_treated,
       CAST(SUM(CASE WHEN type = 'held_out' THEN 1 ELSE 0 END) AS BIGINT) AS carts_held_out,
       CAST(SUM(CASE WHEN type = 'holdout_recovered' THEN 1 ELSE 0 END) AS BIGINT)
           AS holdout_recoveries,
       SUM(CASE WHEN type = 'holdout_recovered' THEN recovered_value
                ELSE CAST(0 AS DECIMAL(18, 4)) END) AS holdout_recovered_value
FROM TABLE(TUMBLE(TABLE contacts, DESCRIPTOR(occurred_at), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, store_id, channel, agent_id, currency

-- Facts of a large store for BoardsBenchmark, generated inside ClickHouse (INSERT ... SELECT from
-- numbers(), the fastest load there is): {carts} abandoned carts over the {days} days before
-- {end} (epoch seconds) across {stores} stores, with their holdout group, contact tasks, attempts
-- with outcomes, recoveries, alerts, and the KPI windows the job would write, counted from the
-- same carts so that the windows agree with the facts. Every choice is a hash of the cart number:
-- the same parameters give the same facts. Rows are written again as the job writes them again:
-- every attempt first pending and then with its outcome (a higher version), one cart in ten
-- reported again (half of those with new contents: a later abandoned_at, another value and
-- stage), and a tenth of the windows rewritten (a restart). Nothing is merged on purpose (no
-- OPTIMIZE): the boards must be right and fast before parts merge.
-- bench_carts holds each cart's choices once (the facts are derived from it, then it is dropped).
-- Statements end with a semicolon at the end of a line. Ids are synthetic: no personal data.

CREATE TABLE bench_carts ENGINE = Memory AS
SELECT
    n, store_id, cart_id, stage, reason, cart_value, currency, opened_at, first_abandoned_at,
    reported_again, changed,
    if(changed, 'payment', stage) AS last_stage,
    if(changed AND currency IS NOT NULL, cart_value + toDecimal64(1, 4) / 4, cart_value) AS last_value,
    if(changed, first_abandoned_at + 600, first_abandoned_at) AS abandoned_at,
    held_out, channel,
    if(channel = 'phone' AND cityHash64(n, 13) % 20 != 0,
        concat('agent-', store_id, '-', toString(cityHash64(n, 14) % 8)), NULL) AS agent_id,
    cityHash64(n, 15) % 10 < 3 AS second_attempt,
    cityHash64(n, 16) AS r1, cityHash64(n, 17) AS r2,
    cityHash64(n, 18) % 100 < 85 AS made1, cityHash64(n, 19) % 100 < 85 AS made2,
    cityHash64(n, 20) % 100 < if(held_out, 5, 12) AS recovered,
    abandoned_at + 1800 + cityHash64(n, 21) % 86400 AS recovered_at
FROM
(
    SELECT
        number AS n,
        concat('store-', toString(100 + number % {stores})) AS store_id,
        toDateTime({end} - {days} * 86400 + intDiv(number * {days} * 86400, {carts})) AS first_abandoned_at,
        first_abandoned_at - 60 - cityHash64(number, 7) % 3600 AS opened_at,
        concat('customer/c', toString(number), '/', toString(toUInt64(opened_at) * 1000)) AS cart_id,
        ['cart', 'checkout', 'shipping', 'payment'][cityHash64(number, 1) % 4 + 1] AS stage,
        ['payment_problem', 'unexpected_costs', 'complicated_checkout', 'unknown'][cityHash64(number, 2) % 4 + 1] AS reason,
        cityHash64(number, 8) % 100 < 97 AS priced,
        if(priced, toDecimal64(cityHash64(number, 3) % 300000, 4) / 100, toDecimal64(0, 4)) AS cart_value,
        if(priced, if(cityHash64(number, 4) % 100 < 75, 'EUR', 'USD'), NULL) AS currency,
        cityHash64(number, 10) % 10 = 0 AS reported_again,
        reported_again AND cityHash64(number, 9) % 2 = 0 AS changed,
        cityHash64(number, 11) % 10 = 0 AS held_out,
        ['phone', 'phone', 'phone', 'phone', 'phone', 'sms', 'sms', 'sms', 'email', 'email'][cityHash64(number, 12) % 10 + 1] AS channel
    FROM numbers({carts})
);

-- Every cart's first report ...
INSERT INTO abandoned_carts (store_id, cart_id, customer_id, stage, reason, cart_value, currency,
    item_count, line_count, shipping_cost, opened_at, abandoned_at, detected_at, gap_seconds, version)
SELECT store_id, cart_id, concat('c', toString(n)), stage, reason, cart_value, currency,
    toUInt32(1 + n % 5), toUInt32(1 + n % 3),
    if(n % 2 = 0, toDecimal64(490, 4) / 100, NULL),
    opened_at, first_abandoned_at, first_abandoned_at + 1800, toUInt32(1800), 1000 + n
FROM bench_carts;

-- ... and one cart in ten reported again; half of those came back and were left again later, with
-- other contents (the boards must count their latest report only).
INSERT INTO abandoned_carts (store_id, cart_id, customer_id, stage, reason, cart_value, currency,
    item_count, line_count, shipping_cost, opened_at, abandoned_at, detected_at, gap_seconds, version)
SELECT store_id, cart_id, concat('c', toString(n)), last_stage, reason, last_value, currency,
    toUInt32(1 + n % 5), toUInt32(1 + n % 3),
    if(n % 2 = 0, toDecimal64(490, 4) / 100, NULL),
    opened_at, abandoned_at, abandoned_at + 1800, toUInt32(1800), 100000000 + n
FROM bench_carts
WHERE reported_again;

-- The holdout group: every cart, one in ten held out (not contacted), at its detection.
INSERT INTO holdout (store_id, cart_id, in_holdout, assigned_at, version)
SELECT store_id, cart_id, toUInt8(held_out), abandoned_at + 1800, 200000000 + n
FROM bench_carts;

-- Contact tasks of the contacted group: a first attempt when the cart's gap ran out, due 30
-- minutes later; a second attempt a day later for three carts in ten. Calls go to one of 8 agents
-- of the store (one in twenty not routed yet), messages to no agent.
INSERT INTO contact_tasks (task_id, type, store_id, cart_id, attempt, channel, agent_id, stage,
    reason, cart_value, currency, abandoned_at, detected_at, due_by, cancel_reason, cancelled_at,
    order_id, occurred_at, emitted_at, version)
SELECT
    toUUID(concat('00000000-0000-4000-800', toString(attempt_no), '-',
        substring(toString(1000000000000 + n), 2, 12))),
    'create', store_id, cart_id, toUInt16(attempt_no), channel, agent_id, last_stage, reason,
    last_value, currency, abandoned_at, abandoned_at + 1800,
    abandoned_at + 3600 + (attempt_no - 1) * 86400,
    NULL, NULL, NULL,
    abandoned_at + 1800 + (attempt_no - 1) * 86400,
    abandoned_at + 1800 + (attempt_no - 1) * 86400,
    300000000 + n * 4 + attempt_no
FROM bench_carts
ARRAY JOIN [1, 2] AS attempt_no
WHERE NOT held_out AND (attempt_no = 1 OR second_attempt);

-- A purchase within the first task's due time cancels it.
INSERT INTO contact_tasks (task_id, type, store_id, cart_id, attempt, channel, agent_id, stage,
    reason, cart_value, currency, abandoned_at, detected_at, due_by, cancel_reason, cancelled_at,
    order_id, occurred_at, emitted_at, version)
SELECT toUUID(concat('00000000-0000-4000-8001-', substring(toString(1000000000000 + n), 2, 12))),
    'cancel', store_id, cart_id, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    'purchased', recovered_at, concat('o-', toString(n)), recovered_at, recovered_at,
    400000000 + n
FROM bench_carts
WHERE NOT held_out AND recovered AND recovered_at <= abandoned_at + 3600;

-- Every attempt as the follow-up writes it: pending when issued ...
INSERT INTO contact_attempts (attempt_id, task_id, store_id, cart_id, attempt, channel, agent_id,
    abandoned_at, due_by, started_at, attempted_at, ended_at, outcome, reached, responded,
    objection, version)
SELECT concat(toString(task_id), '/1'), task_id, store_id, cart_id, attempt, assumeNotNull(channel),
    agent_id, assumeNotNull(abandoned_at), assumeNotNull(due_by), occurred_at, NULL, NULL,
    'pending', 0, 0, NULL, version + 1000000000
FROM contact_tasks
WHERE type = 'create';

-- ... and again with its outcome: 85% made, within 50 minutes; 40% reach the shopper, 15% get a
-- response, 5% an objection.
INSERT INTO contact_attempts (attempt_id, task_id, store_id, cart_id, attempt, channel, agent_id,
    abandoned_at, due_by, started_at, attempted_at, ended_at, outcome, reached, responded,
    objection, version)
SELECT
    concat(toString(toUUID(concat('00000000-0000-4000-800', toString(attempt_no), '-',
        substring(toString(1000000000000 + n), 2, 12)))), '/1'),
    toUUID(concat('00000000-0000-4000-800', toString(attempt_no), '-',
        substring(toString(1000000000000 + n), 2, 12))),
    store_id, cart_id, toUInt16(attempt_no), channel, agent_id, abandoned_at,
    abandoned_at + 3600 + (attempt_no - 1) * 86400,
    started,
    if(made, started + r % 3000, NULL),
    if(made, started + r % 3000 + 120, NULL),
    multiIf(NOT made, 'expired', r % 100 < 40, 'reached', channel = 'phone', 'no_answer', 'delivered'),
    toUInt8(made AND r % 100 < 40),
    toUInt8(made AND r % 100 < 15),
    if(made AND r % 100 < 5, ['price', 'shipping_cost', 'changed_mind'][r % 3 + 1], NULL),
    2000000000 + n * 4 + attempt_no
FROM
(
    SELECT *, attempt_no, abandoned_at + 1800 + (attempt_no - 1) * 86400 AS started,
        if(attempt_no = 1, made1, made2) AS made, if(attempt_no = 1, r1, r2) AS r
    FROM bench_carts
    ARRAY JOIN [1, 2] AS attempt_no
    WHERE NOT held_out AND (attempt_no = 1 OR second_attempt)
);

-- Recoveries: 12% of contacted carts and 5% of held-out ones bought within a day of the gap
-- running out, credited to the first attempt's channel and agent when it reached the shopper.
INSERT INTO recoveries (store_id, cart_id, order_id, abandoned_at, recovered_at, recovered_value,
    currency, task_id, channel, agent_id, contacted, in_holdout, version)
SELECT store_id, cart_id, concat('o-', toString(n)), abandoned_at, recovered_at, last_value,
    currency,
    if(reached, toUUID(concat('00000000-0000-4000-8001-', substring(toString(1000000000000 + n), 2, 12))), NULL),
    if(reached, channel, NULL),
    if(reached, agent_id, NULL),
    toUInt8(reached), toUInt8(held_out), 500000000 + n
FROM
(
    SELECT *, NOT held_out AND made1 AND r1 % 100 < 40 AS reached
    FROM bench_carts
    WHERE recovered
);

-- Supervisor alerts: one first task in twenty-five at risk or breached, and queue alerts of no
-- store every 10 minutes.
INSERT INTO alerts (alert_id, type, raised_at, store_id, task_id, agent_id, cause, version)
SELECT concat(task, '/', alert_type), alert_type,
    abandoned_at + 3600 - if(alert_type = 'sla_at_risk', 300, 0),
    store_id, task, ifNull(agent_id, ''), if(agent_id IS NULL, 'unassigned', 'not_contacted'),
    600000000 + n
FROM
(
    SELECT *,
        concat('00000000-0000-4000-8001-', substring(toString(1000000000000 + n), 2, 12)) AS task,
        if(n % 2 = 0, 'sla_at_risk', 'sla_breached') AS alert_type
    FROM bench_carts
    WHERE NOT held_out AND cityHash64(n, 22) % 25 = 0
);

INSERT INTO alerts (alert_id, type, raised_at, store_id, task_id, agent_id, cause, version)
SELECT concat('queue/', toString(number)), 'queue_growing',
    toDateTime({end} - {days} * 86400 + number * 600), '', '', '', '', 1
FROM numbers({days} * 144);

-- The KPI minutes, as the job counts them (io.cartrecovery.kpi.Kpis), from the same carts: carts abandoned
-- at their latest report, tasks created (first attempts) and cancelled, carts created.
INSERT INTO kpi_minute (store_id, window_start, stage, reason, currency, carts_abandoned,
    abandoned_value, tasks_created, tasks_cancelled, carts_created, version)
SELECT store_id, window_start, stage, reason, currency,
    sum(carts_abandoned), sum(abandoned_value), sum(tasks_created), sum(tasks_cancelled),
    sum(carts_created), toUInt64(1)
FROM
(
    SELECT store_id, toStartOfMinute(abandoned_at) AS window_start, last_stage AS stage, reason,
        ifNull(currency, '') AS currency, toUInt64(1) AS carts_abandoned,
        last_value AS abandoned_value, toUInt64(0) AS tasks_created,
        toUInt64(0) AS tasks_cancelled, toUInt64(0) AS carts_created
    FROM bench_carts
    UNION ALL
    SELECT store_id, toStartOfMinute(abandoned_at + 1800), last_stage, reason,
        ifNull(currency, ''), toUInt64(0), toDecimal64(0, 4), toUInt64(1), toUInt64(0), toUInt64(0)
    FROM bench_carts
    WHERE NOT held_out
    UNION ALL
    SELECT store_id, toStartOfMinute(recovered_at), '', '', '', toUInt64(0), toDecimal64(0, 4),
        toUInt64(0), toUInt64(1), toUInt64(0)
    FROM bench_carts
    WHERE NOT held_out AND recovered AND recovered_at <= abandoned_at + 3600
    UNION ALL
    SELECT store_id, toStartOfMinute(opened_at), '', '', '', toUInt64(0), toDecimal64(0, 4),
        toUInt64(0), toUInt64(0), toUInt64(1)
    FROM bench_carts
)
GROUP BY store_id, window_start, stage, reason, currency;

-- Contact windows: attempts made by their outcome's minute, first contacts (the first attempt
-- made) by theirs, recoveries by the purchase, the holdout by the cart's detection.
INSERT INTO contact_kpi_minute (store_id, window_start, channel, agent_id, currency, attempts,
    reached, responded, first_contacts, first_contact_seconds, first_contacts_within_30m,
    first_contact_p50_seconds, first_contact_p90_seconds, recoveries, recovered_value,
    carts_treated, carts_held_out, holdout_recoveries, holdout_recovered_value, version)
SELECT store_id, window_start, channel, agent_id, currency,
    sum(attempts), sum(reached), sum(responded), sum(first_contacts), sum(first_contact_seconds),
    sum(first_contacts_within_30m),
    if(sum(first_contacts) = 0, NULL, toFloat64(medianExact(seconds))),
    if(sum(first_contacts) = 0, NULL, toFloat64(quantileExact(0.9)(seconds))),
    sum(recoveries), sum(recovered_value), sum(carts_treated), sum(carts_held_out),
    sum(holdout_recoveries), sum(holdout_recovered_value), toUInt64(1)
FROM
(
    SELECT store_id, toStartOfMinute(started + r % 3000) AS window_start, channel,
        ifNull(agent_id, '') AS agent_id, '' AS currency, toUInt64(1) AS attempts,
        toUInt64(r % 100 < 40) AS reached, toUInt64(r % 100 < 15) AS responded,
        toUInt64(first) AS first_contacts,
        toUInt64(if(first, toUInt32(started + r % 3000) - toUInt32(abandoned_at), 0)) AS first_contact_seconds,
        toUInt64(first AND toUInt32(started + r % 3000) - toUInt32(abandoned_at) <= 1800) AS first_contacts_within_30m,
        toUInt32(started + r % 3000) - toUInt32(abandoned_at) AS seconds,
        toUInt64(0) AS recoveries, toDecimal64(0, 4) AS recovered_value,
        toUInt64(0) AS carts_treated, toUInt64(0) AS carts_held_out,
        toUInt64(0) AS holdout_recoveries, toDecimal64(0, 4) AS holdout_recovered_value
    FROM
    (
        SELECT *, abandoned_at + 1800 + (attempt_no - 1) * 86400 AS started,
            if(attempt_no = 1, r1, r2) AS r,
            attempt_no = 1 OR NOT made1 AS first
        FROM bench_carts
        ARRAY JOIN [1, 2] AS attempt_no
        WHERE NOT held_out AND (attempt_no = 1 OR second_attempt)
            AND if(attempt_no = 1, made1, made2)
    )
    UNION ALL
    SELECT store_id, toStartOfMinute(recovered_at), if(reached, channel, ''),
        if(reached, ifNull(agent_id, ''), ''), ifNull(currency, ''), toUInt64(0), toUInt64(0),
        toUInt64(0), toUInt64(0), toUInt64(0), toUInt64(0), toUInt32(0),
        toUInt64(NOT held_out), if(held_out, toDecimal64(0, 4), last_value), toUInt64(0),
        toUInt64(0), toUInt64(held_out), if(held_out, last_value, toDecimal64(0, 4))
    FROM
    (
        SELECT *, NOT held_out AND made1 AND r1 % 100 < 40 AS reached
        FROM bench_carts
        WHERE recovered
    )
    UNION ALL
    SELECT store_id, toStartOfMinute(abandoned_at + 1800), '', '', '', toUInt64(0), toUInt64(0),
        toUInt64(0), toUInt64(0), toUInt64(0), toUInt64(0), toUInt32(0), toUInt64(0),
        toDecimal64(0, 4), toUInt64(NOT held_out), toUInt64(held_out), toUInt64(0),
        toDecimal64(0, 4)
    FROM bench_carts
)
GROUP BY store_id, window_start, channel, agent_id, currency;

INSERT INTO alert_kpi_minute (store_id, window_start, agent_id, type, alerts, version)
SELECT store_id, toStartOfMinute(raised_at) AS window_start, agent_id, type, count(), toUInt64(1)
FROM alerts
GROUP BY store_id, window_start, agent_id, type;

-- A restart rewrites a tenth of the windows with a newer version, the same numbers.
INSERT INTO kpi_minute (store_id, window_start, stage, reason, currency, carts_abandoned,
    abandoned_value, tasks_created, tasks_cancelled, carts_created, version)
SELECT store_id, window_start, stage, reason, currency, carts_abandoned, abandoned_value,
    tasks_created, tasks_cancelled, carts_created, toUInt64(2)
FROM kpi_minute
WHERE cityHash64(store_id, window_start) % 10 = 0;

INSERT INTO contact_kpi_minute (store_id, window_start, channel, agent_id, currency, attempts,
    reached, responded, first_contacts, first_contact_seconds, first_contacts_within_30m,
    first_contact_p50_seconds, first_contact_p90_seconds, recoveries, recovered_value,
    carts_treated, carts_held_out, holdout_recoveries, holdout_recovered_value, version)
SELECT store_id, window_start, channel, agent_id, currency, attempts, reached, responded,
    first_contacts, first_contact_seconds, first_contacts_within_30m, first_contact_p50_seconds,
    first_contact_p90_seconds, recoveries, recovered_value, carts_treated, carts_held_out,
    holdout_recoveries, holdout_recovered_value, toUInt64(2)
FROM contact_kpi_minute
WHERE cityHash64(store_id, window_start) % 10 = 0;

DROP TABLE bench_carts;

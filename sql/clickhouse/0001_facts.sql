-- Facts: one row per thing, under a deterministic key (the ORDER BY). Every table is a
-- ReplacingMergeTree(version): a row written again (a replay, a restart from a checkpoint, a cart
-- reported again with new contents) replaces the one with the same key and a lower version once
-- parts merge. Until then both rows are there: read through the *_latest views of 0002, never
-- count the tables themselves (docs/clickhouse.md).
--
-- Portable to ClickHouse 18.16 and current LTS releases: no LowCardinality, no DateTime64, no TTL.
-- Times are DateTime('UTC'), to the second; money is Decimal(18, 4); no phone numbers, emails or
-- names, customers by id only (hashed when clickhouse.hash-customer-ids is on).
-- version is when the row was written (epoch microseconds, strictly increasing per writer): the
-- latest write of a key wins.
-- Every statement must be safe to run again (IF NOT EXISTS): ClickHouse has no transactional DDL,
-- so a migration that failed half-way is simply applied again.

CREATE TABLE IF NOT EXISTS abandoned_carts
(
    store_id      String,
    cart_id       String COMMENT 'the store cart id, or customer/ID/OPENED_MS or visitor/ID/OPENED_MS (ID hashed with customer ids)',
    customer_id   Nullable(String) COMMENT 'null for an anonymous visitor',
    stage         String COMMENT 'furthest stage reached: cart, checkout, shipping, payment',
    reason        String COMMENT 'reason hint: payment_problem, unexpected_costs, complicated_checkout, unknown',
    cart_value    Decimal(18, 4),
    currency      Nullable(String) COMMENT 'ISO 4217; null when the store sends no prices',
    item_count    UInt32 COMMENT 'units in the cart',
    line_count    UInt32 COMMENT 'distinct products in the cart',
    shipping_cost Nullable(Decimal(18, 4)),
    opened_at     DateTime('UTC') COMMENT 'event time of the first item',
    abandoned_at  DateTime('UTC') COMMENT 'event time of the last activity',
    detected_at   DateTime('UTC') COMMENT 'wall clock of detection',
    gap_seconds   UInt32 COMMENT 'the inactivity gap that applied',
    version       UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(opened_at)
ORDER BY (store_id, cart_id);

-- Contact task records as the dialers get them: a create and the cancel of the same task share
-- the task_id, so the key includes the type.
CREATE TABLE IF NOT EXISTS contact_tasks
(
    task_id       UUID,
    type          String COMMENT 'create or cancel',
    store_id      String,
    cart_id       String,
    attempt       UInt16,
    channel       Nullable(String) COMMENT 'assigned channel (phone, sms, email, ...), once tasks are routed',
    agent_id      Nullable(String) COMMENT 'assigned agent, once tasks are routed',
    stage         Nullable(String) COMMENT 'creates: as in abandoned_carts',
    reason        Nullable(String) COMMENT 'creates: as in abandoned_carts',
    cart_value    Nullable(Decimal(18, 4)) COMMENT 'creates',
    currency      Nullable(String) COMMENT 'creates',
    abandoned_at  Nullable(DateTime('UTC')) COMMENT 'creates',
    detected_at   Nullable(DateTime('UTC')) COMMENT 'creates',
    due_by        Nullable(DateTime('UTC')) COMMENT 'creates: first-contact target',
    cancel_reason Nullable(String) COMMENT 'cancels: purchased or emptied',
    cancelled_at  Nullable(DateTime('UTC')) COMMENT 'cancels: event time of the purchase or emptying',
    order_id      Nullable(String) COMMENT 'cancels by a purchase',
    occurred_at   DateTime('UTC') COMMENT 'event time: a create when the gap ran out (abandoned_at + gap), a cancel at cancelled_at',
    emitted_at    DateTime('UTC') COMMENT 'wall clock of writing',
    version       UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (store_id, task_id, type);

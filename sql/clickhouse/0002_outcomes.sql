-- Facts the contact cadence and attribution will write: attempts with their outcomes, recoveries,
-- holdout membership. Empty until then; created now so that the KPI views over them exist from the
-- start and need no redesign. Same rules as 0001.

-- One row per contact attempt, written when it starts and again (higher version) as its outcome
-- becomes known.
CREATE TABLE IF NOT EXISTS contact_attempts
(
    attempt_id   String COMMENT 'deterministic id of the attempt, from the cadence',
    task_id      UUID,
    store_id     String,
    cart_id      String,
    attempt      UInt16,
    channel      String COMMENT 'phone, sms, email, whatsapp, ...',
    agent_id     Nullable(String) COMMENT 'null for automated channels',
    abandoned_at DateTime('UTC') COMMENT 'of the cart, for time to first contact',
    due_by       DateTime('UTC') COMMENT 'of the task, for the first-contact SLA',
    started_at   DateTime('UTC'),
    ended_at     Nullable(DateTime('UTC')),
    outcome      String COMMENT 'pending until known; then e.g. reached, no_answer, voicemail, busy, failed, delivered, replied',
    reached      UInt8 COMMENT '1 when the shopper was reached (talked to, or a message was read)',
    responded    UInt8 COMMENT '1 when the shopper responded',
    objection    Nullable(String) COMMENT 'objection heard, as a category (never free text)',
    version      UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(started_at)
ORDER BY (store_id, attempt_id);

-- One row per abandoned cart that was bought after all, with what it is credited to.
CREATE TABLE IF NOT EXISTS recoveries
(
    store_id        String,
    cart_id         String,
    order_id        Nullable(String),
    abandoned_at    DateTime('UTC'),
    recovered_at    DateTime('UTC') COMMENT 'event time of the purchase',
    recovered_value Decimal(18, 4),
    currency        Nullable(String),
    task_id         Nullable(UUID),
    channel         Nullable(String) COMMENT 'channel credited, null when no contact was made',
    agent_id        Nullable(String) COMMENT 'agent credited, if any',
    contacted       UInt8 COMMENT '1 when the shopper was reached before the purchase',
    in_holdout      UInt8 COMMENT 'the cart was in the holdout (not contacted on purpose)',
    version         UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(recovered_at)
ORDER BY (store_id, cart_id);

-- One row per abandoned cart assigned to the holdout (control) group or not: recovery rates of
-- both groups give the incremental lift.
CREATE TABLE IF NOT EXISTS holdout
(
    store_id    String,
    cart_id     String,
    in_holdout  UInt8 COMMENT '1: held out (no contact, control group); 0: contacted as usual',
    assigned_at DateTime('UTC'),
    version     UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(assigned_at)
ORDER BY (store_id, cart_id);

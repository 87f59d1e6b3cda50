-- Boards at scale (docs/clickhouse.md, "Boards at scale"): the stores of the boards' $store
-- variable without reading every cart.
--
-- Every board's $store variable listed, and its "All" matched, the stores of
-- abandoned_carts_latest: a GROUP BY of every cart, run again inside every panel query with "All".
-- The stores of the latest view are exactly the stores of the table's rows (store_id is part of
-- the key, and the view keeps one row of every key), so a set of every store_id ever inserted
-- gives the same list. A set is the one aggregate that re-insertion cannot break: writing a row
-- again (a restart, a replay, a newer version) adds a store_id that is already there.
--
-- board_stores is fed at insert time by board_stores_mv, and filled once from the rows already in
-- abandoned_carts, after the view exists so that no insert falls between the two. Running this file
-- again (a migration that failed half-way) inserts the stores again: rows repeat until merges
-- replace them, so read board_stores with DISTINCT, as the boards do. A store whose carts are all
-- dropped (ALTER TABLE ... DROP PARTITION) stays listed: "All" then also lets that store's other
-- facts through, which is what "All" means.

CREATE TABLE IF NOT EXISTS board_stores
(
    store_id String
)
ENGINE = ReplacingMergeTree
ORDER BY store_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS board_stores_mv TO board_stores
AS SELECT DISTINCT store_id FROM abandoned_carts;

INSERT INTO board_stores SELECT DISTINCT store_id FROM abandoned_carts;

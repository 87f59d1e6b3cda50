-- The money sums of the KPI windows get room for many carts: a cart's value is below 10^14 (the
-- range of Decimal(18, 4), docs/limits.md), and so is every amount the job stores, but a minute's
-- sum over several large carts is not; Flink sums them as DECIMAL(38, 4) and ClickHouse refused
-- the row ("Too many digits in decimal value"), which stopped the KPI writes. Decimal(38, 4)
-- holds any sum the job can produce. The facts' own money columns stay Decimal(18, 4).
--
-- MODIFY COLUMN keeps the values; the latest-row views read the columns by name and need no change.

ALTER TABLE kpi_minute
    MODIFY COLUMN abandoned_value Decimal(38, 4) COMMENT 'their value, exact, in currency';

ALTER TABLE contact_kpi_minute
    MODIFY COLUMN recovered_value Decimal(38, 4) COMMENT 'their value, exact, in currency';

ALTER TABLE contact_kpi_minute
    MODIFY COLUMN holdout_recovered_value Decimal(38, 4) COMMENT 'their value, exact, in currency';

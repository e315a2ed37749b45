-- Balances are updated in place by every batch (one upsert per touched holder). Free space on each
-- page lets PostgreSQL keep the new row version on the same page without new index entries (a HOT
-- update: the amount column is not indexed), which keeps the upsert cheap and the table compact.
ALTER TABLE balances SET (fillfactor = 70);

-- Events from a second source besides the indexer's outbox: the broker's fills (mint.filled,
-- redeem.filled), which have no outbox row.
ALTER TABLE events ALTER COLUMN outbox_id DROP NOT NULL;
-- How far each event source has been published: the time of the newest fill published.
CREATE TABLE event_cursors (
  name       text        PRIMARY KEY,
  at         timestamptz NOT NULL
);

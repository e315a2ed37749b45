-- Rate-limit token buckets shared by every daemon on this database (Bucket4j's PostgreSQL
-- backend, SELECT ... FOR UPDATE): one row per key and budget, id '<key id>/<budget>', state the
-- bucket's serialized state, expires_at (epoch millis) when it would be full again and can go.
CREATE TABLE rate_limit_buckets (
  id          text   PRIMARY KEY,
  state       bytea,
  expires_at  bigint
);

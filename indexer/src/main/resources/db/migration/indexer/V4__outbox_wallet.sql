-- The wallet an outbox event concerns (an order's owner), so the API publishes it only to the
-- tenants whose customers hold that wallet. NULL: a public catalog event (a token deployment),
-- published to every tenant.
ALTER TABLE outbox_events ADD COLUMN wallet text;

-- The API publishes fills in (resolved_at, chain_id, order_id) order (mint.filled, redeem.filled).
CREATE INDEX broker_legs_filled ON broker_legs (resolved_at, chain_id, order_id) WHERE status = 'filled';

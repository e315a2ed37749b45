-- The simulated broker separates execution from clearing: a leg fills (executes) at resolves_at and
-- clears at clears_at (the venue's cycle: T+1, T+2, monthly), after which its order settles. NULL:
-- cleared when it filled (legs from before clearing cycles).
ALTER TABLE broker_legs ADD COLUMN clears_at timestamptz;
CREATE INDEX broker_legs_clearing ON broker_legs (chain_id, clears_at) WHERE status = 'filled';

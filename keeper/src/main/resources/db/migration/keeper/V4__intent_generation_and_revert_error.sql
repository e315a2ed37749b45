-- The generation of an intent (1 for the first try of an (order, action), +1 for each retry after a
-- failed one) gets its own column instead of being parsed back out of the idempotency key, and a
-- reverted intent keeps the Solidity name of its decoded custom error, so the keeper recognises a
-- revert by its error type rather than by the text of the outcome.
ALTER TABLE tx_intents ADD COLUMN generation int NOT NULL DEFAULT 1 CHECK (generation >= 1);
UPDATE tx_intents SET generation = split_part(idempotency_key, ':', 4)::int
  WHERE action <> 'noop' AND split_part(idempotency_key, ':', 4) ~ '^[0-9]+$';
ALTER TABLE tx_intents ADD COLUMN revert_error text;
UPDATE tx_intents SET revert_error = substring(outcome FROM '^([A-Za-z_][A-Za-z0-9_]*)\(')
  WHERE status IN ('reverted', 'done_by_other') AND outcome IS NOT NULL;

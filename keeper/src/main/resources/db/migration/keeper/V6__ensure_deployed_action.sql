-- OrderBook.ensureDeployed: the keeper deploys an asset's token ahead of its first mint.
ALTER TABLE tx_intents DROP CONSTRAINT tx_intents_action_check;
ALTER TABLE tx_intents ADD CONSTRAINT tx_intents_action_check
  CHECK (action IN ('promote', 'settle', 'cancel', 'noop', 'ensure_deployed'));

-- The keeper triggers armed trigger sells (stop-loss, take-profit, OCO legs) when the 30 s TWAP
-- crosses their price.
ALTER TABLE tx_intents DROP CONSTRAINT tx_intents_action_check;
ALTER TABLE tx_intents ADD CONSTRAINT tx_intents_action_check
  CHECK (action IN ('promote', 'settle', 'cancel', 'noop', 'ensure_deployed', 'approve', 'create_order',
    'set_session', 'trigger'));

-- The keeper sweeps developer fees from the book's escrow to their recipients (daily at 00:00 UTC
-- and on request).
ALTER TABLE tx_intents DROP CONSTRAINT tx_intents_action_check;
ALTER TABLE tx_intents ADD CONSTRAINT tx_intents_action_check
  CHECK (action IN ('promote', 'settle', 'cancel', 'noop', 'ensure_deployed', 'approve', 'create_order',
    'set_session', 'trigger', 'sweep_fees'));

-- The keeper relays the broker's signed reserve reports: AssetTokenFactory.reportReserve.
ALTER TABLE tx_intents DROP CONSTRAINT tx_intents_action_check;
ALTER TABLE tx_intents ADD CONSTRAINT tx_intents_action_check
  CHECK (action IN ('promote', 'settle', 'cancel', 'noop', 'ensure_deployed', 'approve', 'create_order',
    'set_session', 'trigger', 'sweep_fees', 'set_mint_paused', 'report_reserve'));

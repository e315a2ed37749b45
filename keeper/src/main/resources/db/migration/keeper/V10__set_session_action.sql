-- The keeper drives each order book's session flag from the venue calendar.
ALTER TABLE tx_intents DROP CONSTRAINT tx_intents_action_check;
ALTER TABLE tx_intents ADD CONSTRAINT tx_intents_action_check
  CHECK (action IN ('promote', 'settle', 'cancel', 'noop', 'ensure_deployed', 'approve', 'create_order',
    'set_session'));

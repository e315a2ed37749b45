-- Settlement wallets send their own transactions through the engine: an ERC-20 approve of the order
-- book before a wallet's first order in a token, and the order's create call.
ALTER TABLE tx_intents DROP CONSTRAINT tx_intents_action_check;
ALTER TABLE tx_intents ADD CONSTRAINT tx_intents_action_check
  CHECK (action IN ('promote', 'settle', 'cancel', 'noop', 'ensure_deployed', 'approve', 'create_order'));
-- The wallets whose engines a keeper round pumps: those with intents the engine still watches.
CREATE INDEX tx_intents_signer_recent ON tx_intents (chain_id, signer, updated_at);

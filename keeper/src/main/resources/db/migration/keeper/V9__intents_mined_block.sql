-- An idle engine's round asks whether its signer has an intent mined above the finalized block.
CREATE INDEX tx_intents_mined_block ON tx_intents (chain_id, signer, mined_block);

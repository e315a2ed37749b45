-- The keeper's transaction engine: a durable outbox of intents, every signed transaction ever
-- broadcast for each, and one nonce lease per (chain, signer).

-- An intent is one call the keeper must get mined exactly once (a settle, cancel or promote of an
-- order, or a no-op filling a nonce gap). It is committed before anything is signed; its nonce,
-- once assigned, never changes, and every signed transaction for it (original, fee bumps, the
-- final no-op) is an attempt below, committed before it is broadcast.
CREATE TABLE tx_intents (
  id               bigserial     PRIMARY KEY,
  idempotency_key  text          NOT NULL UNIQUE,
  chain_id         bigint        NOT NULL,
  signer           text          NOT NULL,
  target           text          NOT NULL,
  call_data        text          NOT NULL,
  action           text          NOT NULL CHECK (action IN ('promote', 'settle', 'cancel', 'noop')),
  order_id         bigint,
  status           text          NOT NULL CHECK (status IN ('queued', 'submitted', 'mined', 'confirmed', 'reverted',
                                                            'done_by_other', 'failed')),
  nonce            bigint,
  gas_limit        bigint,
  replacements     int           NOT NULL DEFAULT 0,
  replace_after    timestamptz,
  mined_tx_hash    text,
  mined_block      bigint,
  mined_block_hash text,
  outcome          text,
  created_at       timestamptz   NOT NULL,
  submitted_at     timestamptz,
  mined_at         timestamptz,
  updated_at       timestamptz   NOT NULL,
  UNIQUE (chain_id, signer, nonce)
);
CREATE INDEX tx_intents_open ON tx_intents (chain_id, signer, status, id)
  WHERE status IN ('queued', 'submitted', 'mined');
CREATE INDEX tx_intents_order ON tx_intents (chain_id, order_id, action, id);

CREATE TABLE tx_attempts (
  tx_hash                  text          PRIMARY KEY,
  intent_id                bigint        NOT NULL REFERENCES tx_intents (id),
  kind                     text          NOT NULL CHECK (kind IN ('original', 'replacement', 'noop')),
  raw_tx                   text          NOT NULL,
  max_fee_per_gas          numeric(78,0) NOT NULL,
  max_priority_fee_per_gas numeric(78,0) NOT NULL,
  created_at               timestamptz   NOT NULL,
  broadcast_at             timestamptz,
  node_answer              text
);
CREATE INDEX tx_attempts_intent ON tx_attempts (intent_id, created_at);

-- The nonce authority: whoever holds the unexpired lease of (chain, signer) assigns its nonces.
CREATE TABLE nonce_leases (
  chain_id    bigint      NOT NULL,
  signer      text        NOT NULL,
  holder      text        NOT NULL,
  expires_at  timestamptz NOT NULL,
  next_nonce  bigint      NOT NULL CHECK (next_nonce >= 0),
  PRIMARY KEY (chain_id, signer)
);

-- Superseded by tx_intents.
DROP TABLE actions;

-- Indexed on-chain state, written only by the indexer; the keeper and the API read it.
-- Addresses and hashes are lowercase 0x-hex; amounts are integer base units (numeric(78,0) holds any uint256).

CREATE TABLE blocks (
  chain_id     bigint      NOT NULL,
  number       bigint      NOT NULL,
  hash         text        NOT NULL,
  parent_hash  text        NOT NULL,
  timestamp    timestamptz NOT NULL,
  PRIMARY KEY (chain_id, number)
);

CREATE TABLE checkpoints (
  chain_id      bigint      PRIMARY KEY,
  block_number  bigint      NOT NULL,
  block_hash    text        NOT NULL,
  updated_at    timestamptz NOT NULL
);

CREATE TABLE tokens (
  chain_id      bigint        NOT NULL,
  address       text          NOT NULL,
  symbol        text          NOT NULL,
  kind          text          NOT NULL CHECK (kind IN ('asset', 'stablecoin')),
  decimals      int           NOT NULL,
  total_supply  numeric(78,0) NOT NULL DEFAULT 0 CHECK (total_supply >= 0),
  first_block   bigint        NOT NULL,
  deploy_tx     text,
  PRIMARY KEY (chain_id, address)
);
CREATE UNIQUE INDEX tokens_symbol ON tokens (chain_id, symbol, kind);

CREATE TABLE transfers (
  chain_id      bigint        NOT NULL,
  block_number  bigint        NOT NULL,
  log_index     int           NOT NULL,
  block_hash    text          NOT NULL,
  tx_hash       text          NOT NULL,
  token         text          NOT NULL,
  from_address  text          NOT NULL,
  to_address    text          NOT NULL,
  amount        numeric(78,0) NOT NULL,
  PRIMARY KEY (chain_id, block_number, log_index)
);
CREATE INDEX transfers_token ON transfers (chain_id, token, block_number);

CREATE TABLE balances (
  chain_id  bigint        NOT NULL,
  token     text          NOT NULL,
  holder    text          NOT NULL,
  -- No CHECK (amount >= 0) here: PostgreSQL checks constraints on the proposed row of an
  -- INSERT ... ON CONFLICT before it finds the conflict, which would reject negative deltas.
  -- BatchWriter verifies non-negativity after applying each batch instead.
  amount    numeric(78,0) NOT NULL,
  PRIMARY KEY (chain_id, token, holder)
);
CREATE INDEX balances_holder ON balances (holder);

CREATE TABLE orders (
  chain_id        bigint        NOT NULL,
  order_id        bigint        NOT NULL,
  order_book      text          NOT NULL,
  side            text          NOT NULL CHECK (side IN ('redeem')),
  status          text          NOT NULL CHECK (status IN ('queued', 'active', 'settled', 'cancelled')),
  owner           text          NOT NULL,
  token           text          NOT NULL,
  quantity        numeric(78,0) NOT NULL,
  payout_token    text          NOT NULL,
  min_notional    numeric(78,0) NOT NULL,
  destination     text          NOT NULL,
  gross_notional  numeric(78,0),
  payout          numeric(78,0),
  cancelled_by    text,
  created_block   bigint        NOT NULL,
  created_tx      text          NOT NULL,
  created_at      timestamptz   NOT NULL,
  closed_block    bigint,
  closed_tx       text,
  closed_at       timestamptz,
  updated_block   bigint        NOT NULL,
  PRIMARY KEY (chain_id, order_id)
);
CREATE INDEX orders_owner ON orders (owner, chain_id, order_id);
CREATE INDEX orders_status ON orders (chain_id, status, order_id);

-- Status history: one row per lifecycle event (created, promoted, settled, cancelled).
CREATE TABLE order_events (
  chain_id      bigint      NOT NULL,
  block_number  bigint      NOT NULL,
  log_index     int         NOT NULL,
  order_id      bigint      NOT NULL,
  event         text        NOT NULL CHECK (event IN ('created', 'promoted', 'settled', 'cancelled')),
  status        text        NOT NULL,
  tx_hash       text        NOT NULL,
  at            timestamptz NOT NULL,
  PRIMARY KEY (chain_id, block_number, log_index)
);
CREATE INDEX order_events_order ON order_events (chain_id, order_id, block_number, log_index);

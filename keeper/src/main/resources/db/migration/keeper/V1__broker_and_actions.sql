-- Keeper state: the broker legs of orders (simulated prime broker) and the transactions the keeper sent.

-- One broker leg per order: the offset of the underlying. `outcome` is decided when the leg is
-- requested and revealed (status := outcome) once `resolves_at` has passed, as a broker's fill arrives.
CREATE TABLE broker_legs (
  chain_id        bigint        NOT NULL,
  order_id        bigint        NOT NULL,
  asset           text          NOT NULL,
  quantity        numeric(78,0) NOT NULL,
  status          text          NOT NULL CHECK (status IN ('pending', 'filled', 'failed', 'cancelled')),
  outcome         text          NOT NULL CHECK (outcome IN ('filled', 'failed', 'cancelled')),
  mark_price      numeric(38,6),
  gross_notional  numeric(78,0),
  failure_reason  text,
  requested_at    timestamptz   NOT NULL,
  resolves_at     timestamptz   NOT NULL,
  resolved_at     timestamptz,
  PRIMARY KEY (chain_id, order_id)
);
CREATE INDEX broker_legs_pending ON broker_legs (status, resolves_at);

-- Failures injected into the simulated broker: the next `remaining` offsets of `asset` fail.
CREATE TABLE broker_failures (
  id          bigserial   PRIMARY KEY,
  asset       text        NOT NULL,
  remaining   int         NOT NULL CHECK (remaining >= 0),
  reason      text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per (order, action) the keeper took on chain; the primary key keeps an action from being sent twice.
CREATE TABLE actions (
  chain_id        bigint      NOT NULL,
  order_id        bigint      NOT NULL,
  action          text        NOT NULL CHECK (action IN ('promote', 'settle', 'cancel')),
  status          text        NOT NULL CHECK (status IN ('sending', 'confirmed', 'reverted', 'done_by_other', 'failed')),
  tx_hash         text,
  detail          text,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  PRIMARY KEY (chain_id, order_id, action)
);

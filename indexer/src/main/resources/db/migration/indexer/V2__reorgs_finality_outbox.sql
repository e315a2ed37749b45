-- Reorg safety and finality (issue #3).
--
-- Every derived row is either an append-only log keyed by (chain_id, block_number, log_index)
-- (transfers, order_events, payout_currency_events, outbox_events) or state that can be rebuilt
-- from those logs (balances, tokens.total_supply, orders). A rollback to a common ancestor deletes
-- the log rows above it and reverses their effect on the state, in one transaction.

ALTER TABLE checkpoints
  -- Highest block known final on this chain (node head minus the configured finality depth,
  -- never above the checkpoint). Rows at or below it are final; a reorg below it is fatal.
  ADD COLUMN finalized_block bigint NOT NULL DEFAULT -1,
  -- Set when the chain hit an unrecoverable condition (a reorg deeper than finality); the
  -- follower refuses to advance until an operator clears it.
  ADD COLUMN halted_reason text;

-- Tokens other than asset tokens and stablecoins may be configured ("erc20").
ALTER TABLE tokens DROP CONSTRAINT tokens_kind_check;
ALTER TABLE tokens ADD CONSTRAINT tokens_kind_check CHECK (kind IN ('asset', 'stablecoin', 'erc20'));

-- The blocks table holds the unfinalized block-hash chain (every block above the finalized
-- block) plus the finalized anchor; older headers are pruned.

-- OrderBook.PayoutCurrencySet history; the accepted set is the latest row per token.
CREATE TABLE payout_currency_events (
  chain_id      bigint  NOT NULL,
  block_number  bigint  NOT NULL,
  log_index     int     NOT NULL,
  order_book    text    NOT NULL,
  token         text    NOT NULL,
  accepted      boolean NOT NULL,
  PRIMARY KEY (chain_id, block_number, log_index)
);

-- Transactional outbox of domain events for webhooks (delivery is the API's job). Written in the
-- same transaction as the batch that caused them. A rollback deletes undelivered events above the
-- ancestor and answers each delivered one with a compensating "<type>.retracted" event.
CREATE TABLE outbox_events (
  id             bigserial   PRIMARY KEY,
  event_id       text        NOT NULL UNIQUE,
  chain_id       bigint      NOT NULL,
  block_number   bigint      NOT NULL,
  log_index      int         NOT NULL,
  type           text        NOT NULL,
  payload        jsonb       NOT NULL,
  retracts       bigint      REFERENCES outbox_events (id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  dispatched_at  timestamptz
);
CREATE INDEX outbox_events_block ON outbox_events (chain_id, block_number);
CREATE INDEX outbox_events_pending ON outbox_events (id) WHERE dispatched_at IS NULL;

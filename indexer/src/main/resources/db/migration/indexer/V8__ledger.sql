-- The double-entry ledger of every money movement the order books make (reference
-- settlement-ledger-api "immutable entries"; TigerBeetle's transfer rule). One row is one transfer
-- of `amount` base units of `currency` (a token address) from `debit_account` to `credit_account`;
-- an account's balance in a currency is its credits minus its debits. Accounts are named
-- <kind>:<chain>:<qualifier> (LedgerAccount). Rows are written by the indexer with the batch whose
-- logs they come from, and never changed: a reorg that undoes a log writes a reversing row
-- (`reverses` = the undone row, accounts swapped). `entry_id` is derived from the source log and
-- leg (base_id) and the number of earlier bookings of that base (a log undone and later re-applied
-- is booked anew), so a replay can never book the same transfer twice.
CREATE TABLE ledger_entries (
  seq            bigserial      NOT NULL UNIQUE,
  entry_id       text           PRIMARY KEY,
  base_id        text           NOT NULL,
  chain_id       bigint         NOT NULL,
  block_number   bigint         NOT NULL,
  log_index      integer        NOT NULL,
  tx_hash        text           NOT NULL,
  at             timestamptz    NOT NULL,
  kind           text           NOT NULL CHECK (kind IN ('lock', 'gas_deposit', 'broker_proceeds',
                   'broker_payment', 'broker_costs', 'payout', 'platform_fee', 'developer_fee', 'gas',
                   'refund', 'burn', 'issue', 'fee_sweep')),
  debit_account  text           NOT NULL,
  credit_account text           NOT NULL CHECK (credit_account <> debit_account),
  amount         numeric(78,0)  NOT NULL CHECK (amount > 0),
  currency       text           NOT NULL,
  order_id       bigint,
  wallet         text,
  reverses       text           UNIQUE REFERENCES ledger_entries (entry_id)
);
CREATE INDEX ledger_entries_base ON ledger_entries (base_id);
CREATE INDEX ledger_entries_debit ON ledger_entries (debit_account, seq);
CREATE INDEX ledger_entries_credit ON ledger_entries (credit_account, seq);
CREATE INDEX ledger_entries_order ON ledger_entries (chain_id, order_id, seq);
CREATE INDEX ledger_entries_wallet ON ledger_entries (wallet, seq);
CREATE INDEX ledger_entries_block ON ledger_entries (chain_id, block_number) WHERE reverses IS NULL;

-- Immutable: the database refuses to change or remove an entry, whoever asks.
CREATE FUNCTION ledger_entries_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger entries are immutable: % refused (write a reversing entry instead)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_entries_immutable();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_immutable();

-- Who paid a relayed order's gas deposit (OrderBook.OrderIntentUsed's relayer), when not its owner.
ALTER TABLE orders ADD COLUMN relayer text;

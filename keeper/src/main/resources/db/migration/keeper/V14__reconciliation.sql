-- Daily reconciliation (reference platform-docs "Reconciliation reports"): on-chain supply at the
-- cut-off plus amounts in flight, against the prime broker's position.

-- The side of a broker leg (a mint buys the underlying, a redeem sells it), for the broker's
-- position. NULL on legs from before sides were recorded.
ALTER TABLE broker_legs ADD COLUMN side text CHECK (side IN ('redeem', 'mint'));

-- Shares the simulated broker holds outside order legs: opening custody (holdings seeded on chain
-- by the factory's minter) and adjustments (a test injecting a mismatch). Signed base units.
CREATE TABLE broker_custody (
  id        bigserial     PRIMARY KEY,
  chain_id  bigint        NOT NULL,
  asset     text          NOT NULL,
  quantity  numeric(78,0) NOT NULL,
  at        timestamptz   NOT NULL,
  reason    text          NOT NULL
);
CREATE INDEX broker_custody_asset ON broker_custody (chain_id, asset, at);

-- One line per (date, chain, token): supply at the cut-off block, amounts in flight, the broker's
-- position, the diff (shares, base units) and its value at NAV. Written once per (date, chain).
CREATE TABLE recon_lines (
  report_date        date          NOT NULL,
  chain_id           bigint        NOT NULL,
  token              text          NOT NULL,
  token_address      text          NOT NULL,
  cutoff_block       bigint        NOT NULL,
  onchain_supply     numeric(78,0) NOT NULL,
  in_flight_mints    numeric(78,0) NOT NULL,
  in_flight_redeems  numeric(78,0) NOT NULL,
  broker_position    numeric(78,0) NOT NULL,
  diff               numeric(78,0) NOT NULL,
  nav_usdc           numeric(38,6) NOT NULL,
  diff_usdc          numeric(38,6) NOT NULL,
  status             text          NOT NULL CHECK (status IN ('matched', 'break')),
  generated_at       timestamptz   NOT NULL,
  PRIMARY KEY (report_date, chain_id, token)
);

-- The chain-wide checks of a run (those that need no broker), one row per (date, chain, check).
CREATE TABLE recon_checks (
  report_date  date        NOT NULL,
  chain_id     bigint      NOT NULL,
  name         text        NOT NULL,
  subject      text        NOT NULL,
  passed       boolean     NOT NULL,
  detail       text        NOT NULL,
  PRIMARY KEY (report_date, chain_id, name, subject)
);

-- A (chain, token) whose minting a break paused, until an operator clears it. `seq` orders the
-- breaks for the reconciliation.break event stream. Cleared rows stay: the audit of who cleared
-- it, when and why.
CREATE TABLE recon_breaks (
  seq          bigserial   UNIQUE,
  report_date  date        NOT NULL,
  chain_id     bigint      NOT NULL,
  token        text        NOT NULL,
  diff         numeric(78,0) NOT NULL,
  diff_usdc    numeric(38,6) NOT NULL,
  opened_at    timestamptz NOT NULL,
  pause_intent text,
  cleared_at   timestamptz,
  cleared_by   text,
  clear_reason text,
  clear_intent text,
  PRIMARY KEY (report_date, chain_id, token)
);
CREATE INDEX recon_breaks_open ON recon_breaks (chain_id, token) WHERE cleared_at IS NULL;

-- One row per (date, chain) reconciled: the run is done (lines and checks written with it).
CREATE TABLE recon_runs (
  report_date   date        NOT NULL,
  chain_id      bigint      NOT NULL,
  cutoff_block  bigint      NOT NULL,
  generated_at  timestamptz NOT NULL,
  PRIMARY KEY (report_date, chain_id)
);

-- Quotes (POST /v1/quotes): what an order referencing one is held to, for 30 seconds.
CREATE TABLE quotes (
  id          text        PRIMARY KEY,
  tenant_id   text        NOT NULL REFERENCES tenants (id),
  mode        text        NOT NULL CHECK (mode IN ('live', 'test')),
  body        text        NOT NULL,
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL
);
CREATE INDEX quotes_expiry ON quotes (expires_at);

-- Each tenant's custodial settlement wallet as the API knows it: a wallet the tenant owns by
-- construction (the daemon holds its key for the tenant), so its orders, positions and events are the
-- tenant's beside its customers' wallets.
CREATE TABLE settlement_wallets (
  tenant_id   text        NOT NULL REFERENCES tenants (id),
  mode        text        NOT NULL CHECK (mode IN ('live', 'test')),
  wallet      text        NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, mode)
);
CREATE INDEX settlement_wallets_wallet ON settlement_wallets (wallet, tenant_id);

-- The wallets a tenant owns: its customers' and its settlement wallet.
CREATE VIEW owned_wallets AS
  SELECT tenant_id, wallet FROM customers
  UNION ALL
  SELECT tenant_id, wallet FROM settlement_wallets;

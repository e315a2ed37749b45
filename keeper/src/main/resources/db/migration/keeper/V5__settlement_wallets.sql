-- Each tenant's custodial settlement wallet per environment. Only the address is stored: the key is
-- derived from the daemon's seed whenever it is needed (never written anywhere).
CREATE TABLE settlement_wallets (
  tenant_id   text        NOT NULL,
  mode        text        NOT NULL CHECK (mode IN ('live', 'test')),
  address     text        NOT NULL,
  created_at  timestamptz NOT NULL,
  funded_at   timestamptz,
  PRIMARY KEY (tenant_id, mode)
);

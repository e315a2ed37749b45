-- Proof of control of a wallet (issue 16). A tenant sees and touches a wallet's positions, orders,
-- events and webhooks only once the wallet has signed a challenge naming the tenant: an EIP-712
-- WalletLink message, checked by ecrecover for an EOA and by ERC-1271 isValidSignature for a
-- contract wallet. A customer's wallet field alone proves nothing.

-- A challenge: single use (used_at), valid until expires_at; the nonce is what the wallet signs.
CREATE TABLE wallet_challenges (
  id          text        PRIMARY KEY,
  tenant_id   text        NOT NULL REFERENCES tenants (id),
  wallet      text        NOT NULL,
  chain_id    bigint      NOT NULL,
  nonce       text        NOT NULL UNIQUE,
  issued_at   timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX wallet_challenges_expiry ON wallet_challenges (expires_at);

-- A proven link: the newest proof of the wallet for the tenant.
CREATE TABLE wallet_links (
  tenant_id     text        NOT NULL REFERENCES tenants (id),
  wallet        text        NOT NULL,
  method        text        NOT NULL CHECK (method IN ('eoa', 'erc1271')),
  chain_id      bigint      NOT NULL,
  challenge_id  text        NOT NULL REFERENCES wallet_challenges (id),
  signature     text        NOT NULL,
  proven_at     timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, wallet)
);
CREATE INDEX wallet_links_wallet ON wallet_links (wallet, tenant_id);

-- The wallets a tenant owns: those it proved, and its custodial settlement wallet. A customer's
-- wallet is no longer owned by being named.
CREATE OR REPLACE VIEW owned_wallets AS
  SELECT tenant_id, wallet FROM wallet_links
  UNION ALL
  SELECT tenant_id, wallet FROM settlement_wallets;

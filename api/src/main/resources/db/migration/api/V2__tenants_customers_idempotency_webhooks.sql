-- Tenants: every key, customer, idempotent response and webhook belongs to exactly one. The tier
-- sets the per-key rate limit (reference platform-docs "Rate limits").
CREATE TABLE tenants (
  id          text        PRIMARY KEY,
  tier        text        NOT NULL DEFAULT 'startup' CHECK (tier IN ('startup', 'growth', 'scale', 'enterprise')),
  created_at  timestamptz NOT NULL
);
INSERT INTO tenants (id, created_at) SELECT tenant_id, min(created_at) FROM api_keys GROUP BY tenant_id;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id);
-- Rotation: the old key keeps working until expires_at (five minutes), then only its successor does.
ALTER TABLE api_keys ADD COLUMN expires_at timestamptz;
ALTER TABLE api_keys ADD COLUMN replaced_by text REFERENCES api_keys (id);
ALTER TABLE api_keys ADD COLUMN seq bigserial UNIQUE;
CREATE INDEX api_keys_tenant ON api_keys (tenant_id, seq);

-- Customers: the tenant's end users and their wallets. A tenant sees on-chain state (positions,
-- redeems, events) only for the wallets of its customers.
CREATE TABLE customers (
  id           text        PRIMARY KEY,
  seq          bigserial   UNIQUE,
  tenant_id    text        NOT NULL REFERENCES tenants (id),
  external_id  text        NOT NULL,
  wallet       text        NOT NULL,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  UNIQUE (tenant_id, external_id)
);
CREATE INDEX customers_tenant ON customers (tenant_id, seq);
CREATE INDEX customers_wallet ON customers (wallet, tenant_id);

-- Attestations posted by the tenant (reference platform-docs "Customers & attestations"). Every
-- upsert appends one; the customer's current attestation is its newest. Hash-only by default: the
-- raw payload is never stored, only an optional ciphertext the tenant's own key protects.
CREATE TABLE attestations (
  id                 text        PRIMARY KEY,
  seq                bigserial   UNIQUE,
  customer_id        text        NOT NULL REFERENCES customers (id),
  kind               text        NOT NULL CHECK (kind IN ('kyc', 'kyb')),
  provider           text        NOT NULL,
  provider_name      text,
  vendor_reference   text        NOT NULL,
  attested_at        timestamptz NOT NULL,
  expires_at         timestamptz,
  signals            text[]      NOT NULL,
  attestation_hash   text        NOT NULL,
  pii                text        NOT NULL CHECK (pii IN ('hash_only', 'encrypted')),
  encrypted_payload  text,
  kms_key_id         text,
  stored_at          timestamptz NOT NULL,
  CHECK ((pii = 'encrypted') = (encrypted_payload IS NOT NULL))
);
CREATE INDEX attestations_customer ON attestations (customer_id, seq DESC);

-- Idempotency-Key: the first response to a POST, replayed verbatim for 24 hours. A row without a
-- response is a request still running (or one whose daemon died: claimable again after its lease).
CREATE TABLE idempotency_keys (
  tenant_id        text        NOT NULL REFERENCES tenants (id),
  mode             text        NOT NULL,
  key              text        NOT NULL,
  method           text        NOT NULL,
  path             text        NOT NULL,
  request_hash     text        NOT NULL,
  request_id       text        NOT NULL,
  locked_until     timestamptz,
  response_status  int,
  response_type    text,
  response_body    bytea,
  created_at       timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, mode, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- Webhook subscriptions (reference platform-docs "Webhooks"): event patterns such as "redeem.*",
-- a per-endpoint signing secret (needed in clear to sign), enabled or not.
CREATE TABLE webhooks (
  id          text        PRIMARY KEY,
  seq         bigserial   UNIQUE,
  tenant_id   text        NOT NULL REFERENCES tenants (id),
  url         text        NOT NULL,
  events      text[]      NOT NULL,
  secret      text        NOT NULL,
  enabled     boolean     NOT NULL DEFAULT true,
  description text,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);
CREATE INDEX webhooks_tenant ON webhooks (tenant_id, seq);

-- One delivery per (event, subscription), plus one per replay. The body is fixed at creation, so
-- every attempt and replay sends the same bytes; only the signature timestamp changes.
CREATE TABLE webhook_deliveries (
  id               text        PRIMARY KEY,
  seq              bigserial   UNIQUE,
  tenant_id        text        NOT NULL REFERENCES tenants (id),
  webhook_id       text        NOT NULL REFERENCES webhooks (id),
  event_id         text        NOT NULL,
  event_type       text        NOT NULL,
  url              text        NOT NULL,
  body             text        NOT NULL,
  status           text        NOT NULL CHECK (status IN ('pending', 'delivered', 'abandoned')),
  attempts         int         NOT NULL DEFAULT 0,
  first_attempt_at timestamptz,
  next_attempt_at  timestamptz,
  locked_until     timestamptz,
  replay_of        text        REFERENCES webhook_deliveries (id),
  created_at       timestamptz NOT NULL,
  delivered_at     timestamptz,
  abandoned_at     timestamptz
);
CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries (webhook_id, event_id) WHERE replay_of IS NULL;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_tenant ON webhook_deliveries (tenant_id, seq);
CREATE INDEX webhook_deliveries_abandoned ON webhook_deliveries (tenant_id, abandoned_at) WHERE status = 'abandoned';

-- Every attempt: when, where, the answer (status, latency, first KB of the body) or the error.
CREATE TABLE webhook_attempts (
  delivery_id      text        NOT NULL REFERENCES webhook_deliveries (id),
  attempt          int         NOT NULL,
  attempted_at     timestamptz NOT NULL,
  url              text        NOT NULL,
  status_code      int,
  latency_ms       bigint      NOT NULL,
  error            text,
  response_excerpt text,
  PRIMARY KEY (delivery_id, attempt)
);

-- The published event stream (GET /v1/events): outbox events in the order the dispatcher
-- published them. seq is assigned under one lock, so it is also commit order: a reader paging by
-- seq never misses an event that commits later with a smaller number.
CREATE TABLE events (
  seq          bigint      PRIMARY KEY,
  event_id     text        NOT NULL UNIQUE,
  outbox_id    bigint      NOT NULL UNIQUE,
  chain_id     bigint      NOT NULL,
  type         text        NOT NULL,
  wallet       text,
  body         text        NOT NULL,
  created_at   timestamptz NOT NULL
);
CREATE INDEX events_wallet ON events (wallet, seq);

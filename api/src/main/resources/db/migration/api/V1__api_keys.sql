-- API keys: only a SHA-256 hash of each secret is stored; the secret is shown once, at creation.
CREATE TABLE api_keys (
  id          text        PRIMARY KEY,
  tenant_id   text        NOT NULL,
  key_hash    text        NOT NULL UNIQUE,
  key_prefix  text        NOT NULL,
  mode        text        NOT NULL CHECK (mode IN ('test', 'live')),
  scope       text        NOT NULL CHECK (scope IN ('full', 'read')),
  created_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);

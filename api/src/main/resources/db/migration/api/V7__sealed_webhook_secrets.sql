-- Webhook signing secrets at rest: sealed (AES-256-GCM under the daemon's secrets key, bound to the
-- webhook's id) instead of in clear. Exactly one of the two is set; a daemon with a key seals the
-- rows still in clear when it starts.
ALTER TABLE webhooks ALTER COLUMN secret DROP NOT NULL;
ALTER TABLE webhooks ADD COLUMN secret_sealed bytea;
ALTER TABLE webhooks ADD CONSTRAINT webhooks_one_secret CHECK ((secret IS NULL) <> (secret_sealed IS NULL));

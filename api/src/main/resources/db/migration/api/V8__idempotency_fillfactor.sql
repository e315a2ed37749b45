-- An Idempotency-Key's row is inserted small (the claim, about 150 bytes) and updated once with its
-- sealed answer (about 1 KB more). With pages filled by the inserts, every update had to move the row
-- to another page: both indexes written again and the table extended under its extension lock, which
-- concurrent POSTs queued on. Leaving three quarters of each page free keeps the update on its page
-- (a HOT update: no index writes).
ALTER TABLE idempotency_keys SET (fillfactor = 25);

-- The server's side of the device lock (docs/offline-unlock.md, DESIGN §7): a session reads
-- persons only while its device has shown, within the unlock window, that it was unlocked with
-- its PIN or password. The device registers a proof key (made from its cache key) and answers
-- a nonce with it; wrong answers are counted on the device's row.
ALTER TABLE sessions ADD COLUMN unlocked_until BIGINT;
ALTER TABLE sessions ADD COLUMN unlock_nonce TEXT;
ALTER TABLE devices ADD COLUMN unlock_key TEXT;
ALTER TABLE devices ADD COLUMN unlock_failures BIGINT NOT NULL DEFAULT 0;

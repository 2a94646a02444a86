-- Server-side sessions. The cookie carries a random token; only its SHA-256 is stored, so a
-- copy of the database does not hand out live sessions. Times are Unix seconds so the idle
-- and absolute timeouts are plain comparisons.
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    account_id    TEXT NOT NULL REFERENCES accounts (id),
    device_id     TEXT NOT NULL REFERENCES devices (id),
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

-- Failed sign-ins, counted per account login and per client address ("account:…",
-- "address:…"). Kept in the database so a restart does not reset a lockout.
CREATE TABLE login_throttle (
    key            TEXT PRIMARY KEY,
    failures       INTEGER NOT NULL,
    first_failure  INTEGER NOT NULL,
    locked_until   INTEGER
);

-- The village an audited record belongs to, so a district supervisor sees the trail of
-- their own district only; and whether the access was allowed.
ALTER TABLE audit_events ADD COLUMN village_id TEXT REFERENCES villages (id);
ALTER TABLE audit_events ADD COLUMN outcome TEXT NOT NULL DEFAULT 'allowed'
    CHECK (outcome IN ('allowed', 'denied'));
CREATE INDEX audit_events_by_village ON audit_events (village_id, at);

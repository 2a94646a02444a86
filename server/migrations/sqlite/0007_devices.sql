-- Devices as an admin sees and revokes them (issue 13). Two kinds of rows share the table:
-- the browser a person signed in from (its id is the device cookie; sessions point at it),
-- and the app's sync id kept in that browser's IndexedDB (pushes and key shares name it).
-- A sync device belongs to the browser whose session first used it, so revoking the browser
-- revokes its sync ids too, and one browser's session cannot push as another's.
ALTER TABLE devices ADD COLUMN browser_id TEXT REFERENCES devices (id);
-- The hash of the secret in a browser's device cookie (`id.secret`): the id is shown in the
-- audit trail, so only the secret proves a browser is the one that signed in before.
ALTER TABLE devices ADD COLUMN cookie_hash TEXT;
-- What the device last told about itself, and when (Unix seconds).
ALTER TABLE devices ADD COLUMN app_version TEXT;
ALTER TABLE devices ADD COLUMN last_seen_at INTEGER;
CREATE INDEX devices_by_account ON devices (account_id);
CREATE INDEX devices_by_browser ON devices (browser_id);

-- Which of the two kinds a row is ('browser' or 'sync'); sync ids were labelled 'sync'.
ALTER TABLE devices ADD COLUMN kind TEXT NOT NULL DEFAULT 'browser' CHECK (kind IN ('browser', 'sync'));
UPDATE devices SET kind = 'sync' WHERE label = 'sync';

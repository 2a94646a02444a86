-- `server migrate` marks the SQLite file it moved to PostgreSQL (when, and where to, without
-- a password): a server started on the old file afterwards would take entries the new one never
-- sees, so it refuses to start and says where the installation went. `server reopen` clears
-- the mark when a move is undone (DESIGN §4.9).
ALTER TABLE installation ADD COLUMN moved_at TEXT;
ALTER TABLE installation ADD COLUMN moved_to TEXT;

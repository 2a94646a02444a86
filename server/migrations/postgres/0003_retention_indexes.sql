-- Indexes the hourly retention and the tombstone pruning need (DESIGN §4.8): without them each
-- ran a scan per row while holding the write lock, which a real installation's tables turn
-- into seconds of every other write waiting. (IF NOT EXISTS: an administrator may have made
-- one by hand.)
-- `forget_devices` asks, for every old browser, whether a session still names it.
CREATE INDEX IF NOT EXISTS sessions_by_device ON sessions (device_id);
-- Tombstones are pruned oldest first, in bounded batches.
CREATE INDEX IF NOT EXISTS sync_changes_tombstones ON sync_changes (deleted, version);

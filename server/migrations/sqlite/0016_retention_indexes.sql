-- Indexes the hourly retention and the tombstone pruning need (issue 33): without them each
-- ran a full scan per row while holding the write lock, which a real installation's tables
-- (years of sessions and changes) turn into seconds of every other write waiting.
-- `forget_devices` asks, for every old browser, whether a session still names it.
CREATE INDEX sessions_by_device ON sessions (device_id);
-- Expired sessions are found by their last request and their start.
CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);
CREATE INDEX sessions_by_created ON sessions (created_at);
-- Tombstones are pruned oldest first, in bounded batches.
CREATE INDEX sync_changes_tombstones ON sync_changes (deleted, version);

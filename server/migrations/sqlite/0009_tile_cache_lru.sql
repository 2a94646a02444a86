-- The tile cache gets a size cap (`--tile-cache-kb`): past it the least recently used tiles are
-- dropped first. Seconds since 1970; tiles kept before this migration count as never used
-- (0) and go first.
ALTER TABLE tile_cache ADD COLUMN last_used_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tile_cache_by_last_use ON tile_cache (last_used_at);

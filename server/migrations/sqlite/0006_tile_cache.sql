-- Issue 6: tiles fetched from a configured tile server, kept so each is fetched once and
-- served again when the tile server is down.
CREATE TABLE tile_cache (
    zoom          INTEGER NOT NULL,
    x             INTEGER NOT NULL,
    y             INTEGER NOT NULL,
    data          BLOB NOT NULL,
    content_type  TEXT NOT NULL,
    fetched_at    TEXT NOT NULL,
    PRIMARY KEY (zoom, x, y)
);

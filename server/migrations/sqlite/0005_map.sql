-- Issue 6: village map layers (boundary, streets, households, landmarks) as GeoJSON features
-- that travel through sync like any record, and a point on offences.

CREATE TABLE map_features (
    id          TEXT PRIMARY KEY,
    village_id  TEXT NOT NULL REFERENCES villages (id),
    layer       TEXT NOT NULL CHECK (layer IN ('boundary', 'streets', 'households', 'landmarks')),
    kind        TEXT CHECK (kind IS NULL OR kind IN ('school', 'akimat', 'shop', 'pasture', 'water_point', 'other')),
    name        TEXT,
    -- A GeoJSON geometry in WGS 84 lon/lat, checked by app::map::Geometry before it is written.
    geometry    TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_by  TEXT REFERENCES accounts (id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    demo        INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);
CREATE INDEX map_features_by_village ON map_features (village_id, layer);

CREATE TRIGGER map_features_changed_insert AFTER INSERT ON map_features BEGIN
    DELETE FROM sync_changes WHERE entity = 'feature' AND record_id = NEW.id;
    INSERT INTO sync_changes (entity, record_id, village_id) VALUES ('feature', NEW.id, NEW.village_id);
END;
CREATE TRIGGER map_features_changed_update AFTER UPDATE ON map_features BEGIN
    DELETE FROM sync_changes WHERE entity = 'feature' AND record_id = NEW.id;
    INSERT INTO sync_changes (entity, record_id, village_id) VALUES ('feature', NEW.id, NEW.village_id);
END;
-- An import replaces a layer: the devices drop the old features.
CREATE TRIGGER map_features_changed_delete AFTER DELETE ON map_features BEGIN
    DELETE FROM sync_changes WHERE entity = 'feature' AND record_id = OLD.id;
    INSERT INTO sync_changes (entity, record_id, village_id, deleted) VALUES ('feature', OLD.id, OLD.village_id, 1);
END;

-- Where an offence happened, when the inspector placed it (WGS 84 degrees).
ALTER TABLE offences ADD COLUMN lat REAL;
ALTER TABLE offences ADD COLUMN lon REAL;

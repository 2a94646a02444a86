-- The sync contract (DESIGN §4).
--
-- `sync_changes` holds, for every synced record, the server version of its latest change: the
-- pull cursor counts in these versions. Triggers keep it current for every write, whoever
-- makes it (sync pushes, demo data, future admin tools), so no write path can forget it. A
-- record changed again is deleted and re-inserted, taking a new, higher version; a deleted
-- record keeps a row with `deleted = 1` (a tombstone).
CREATE TABLE sync_changes (
    version     INTEGER PRIMARY KEY AUTOINCREMENT,
    entity      TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    village_id  TEXT NOT NULL,
    deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    changed_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (entity, record_id)
);
CREATE INDEX sync_changes_by_village ON sync_changes (village_id, version);

-- Tombstones older than this version were pruned: a client whose cursor is below it may have
-- missed a deletion and must start again from nothing ("reset").
CREATE TABLE sync_horizon (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    pruned_below   INTEGER NOT NULL
);
INSERT INTO sync_horizon (id, pruned_below) VALUES (1, 0);

-- Every mutation a device pushed, with the answer it got, written in the same transaction as
-- the record itself: a replay finds its answer here instead of writing twice.
CREATE TABLE sync_mutations (
    device_id    TEXT NOT NULL REFERENCES devices (id),
    seq          INTEGER NOT NULL,
    mutation_id  TEXT NOT NULL,
    entity       TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    -- applied | rejected | conflict | skipped
    status       TEXT NOT NULL CHECK (status IN ('applied', 'rejected', 'conflict', 'skipped')),
    -- The answer as JSON (version, reason), replayed as it was.
    answer       TEXT NOT NULL,
    at           TEXT NOT NULL,
    PRIMARY KEY (device_id, seq),
    -- A replay is recognised per device; another device's id, however alike, is its own.
    UNIQUE (device_id, mutation_id)
);

-- The last seq a device had applied, so the next one must be exactly one more.
ALTER TABLE devices ADD COLUMN applied_seq INTEGER NOT NULL DEFAULT 0;
-- The server's share of the key that protects sensitive records cached on the device (hex of
-- 32 random bytes). Withheld once the device is revoked, which leaves that cache unreadable.
ALTER TABLE devices ADD COLUMN key_share TEXT;

CREATE TRIGGER tasks_changed_insert AFTER INSERT ON tasks BEGIN
    DELETE FROM sync_changes WHERE entity = 'task' AND record_id = NEW.id;
    INSERT INTO sync_changes (entity, record_id, village_id) VALUES ('task', NEW.id, NEW.village_id);
END;
CREATE TRIGGER tasks_changed_update AFTER UPDATE ON tasks BEGIN
    DELETE FROM sync_changes WHERE entity = 'task' AND record_id = NEW.id;
    INSERT INTO sync_changes (entity, record_id, village_id) VALUES ('task', NEW.id, NEW.village_id);
END;
CREATE TRIGGER tasks_changed_delete AFTER DELETE ON tasks BEGIN
    DELETE FROM sync_changes WHERE entity = 'task' AND record_id = OLD.id;
    INSERT INTO sync_changes (entity, record_id, village_id, deleted) VALUES ('task', OLD.id, OLD.village_id, 1);
END;
-- Assigning council members changes what a task's readers see.
CREATE TRIGGER task_assignees_changed AFTER INSERT ON task_assignees BEGIN
    UPDATE tasks SET updated_at = updated_at WHERE id = NEW.task_id;
END;

CREATE TRIGGER proposals_changed_insert AFTER INSERT ON proposals BEGIN
    DELETE FROM sync_changes WHERE entity = 'proposal' AND record_id = NEW.id;
    INSERT INTO sync_changes (entity, record_id, village_id) VALUES ('proposal', NEW.id, NEW.village_id);
END;
CREATE TRIGGER proposals_changed_update AFTER UPDATE ON proposals BEGIN
    DELETE FROM sync_changes WHERE entity = 'proposal' AND record_id = NEW.id;
    INSERT INTO sync_changes (entity, record_id, village_id) VALUES ('proposal', NEW.id, NEW.village_id);
END;
CREATE TRIGGER proposals_changed_delete AFTER DELETE ON proposals BEGIN
    DELETE FROM sync_changes WHERE entity = 'proposal' AND record_id = OLD.id;
    INSERT INTO sync_changes (entity, record_id, village_id, deleted) VALUES ('proposal', OLD.id, OLD.village_id, 1);
END;

CREATE TRIGGER events_changed_insert AFTER INSERT ON events BEGIN
    DELETE FROM sync_changes WHERE entity = 'event' AND record_id = NEW.id;
    INSERT INTO sync_changes (entity, record_id, village_id) VALUES ('event', NEW.id, NEW.village_id);
END;
CREATE TRIGGER events_changed_update AFTER UPDATE ON events BEGIN
    DELETE FROM sync_changes WHERE entity = 'event' AND record_id = NEW.id;
    INSERT INTO sync_changes (entity, record_id, village_id) VALUES ('event', NEW.id, NEW.village_id);
END;
CREATE TRIGGER events_changed_delete AFTER DELETE ON events BEGIN
    DELETE FROM sync_changes WHERE entity = 'event' AND record_id = OLD.id;
    INSERT INTO sync_changes (entity, record_id, village_id, deleted) VALUES ('event', OLD.id, OLD.village_id, 1);
END;

CREATE TRIGGER persons_changed_insert AFTER INSERT ON persons BEGIN
    DELETE FROM sync_changes WHERE entity = 'person' AND record_id = NEW.id;
    INSERT INTO sync_changes (entity, record_id, village_id) VALUES ('person', NEW.id, NEW.village_id);
END;
CREATE TRIGGER persons_changed_update AFTER UPDATE ON persons BEGIN
    DELETE FROM sync_changes WHERE entity = 'person' AND record_id = NEW.id;
    INSERT INTO sync_changes (entity, record_id, village_id) VALUES ('person', NEW.id, NEW.village_id);
END;

-- Records that existed before this migration.
INSERT INTO sync_changes (entity, record_id, village_id) SELECT 'task', id, village_id FROM tasks;
INSERT INTO sync_changes (entity, record_id, village_id) SELECT 'proposal', id, village_id FROM proposals;
INSERT INTO sync_changes (entity, record_id, village_id) SELECT 'event', id, village_id FROM events;
INSERT INTO sync_changes (entity, record_id, village_id) SELECT 'person', id, village_id FROM persons;

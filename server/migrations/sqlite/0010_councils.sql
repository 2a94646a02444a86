-- Issue 20: councils and their members are kept in the app and travel through sync like any
-- record (README, "Offline and sync"): versions for conflicts, triggers for the pull cursor. A member's record
-- travels in the village of his council.
ALTER TABLE councils ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE councils ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
ALTER TABLE council_members ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE council_members ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
-- Rows from before: changed "now" as far as anyone can tell.
UPDATE councils SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
UPDATE council_members SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now');

CREATE TRIGGER councils_changed_insert AFTER INSERT ON councils BEGIN
    DELETE FROM sync_changes WHERE entity = 'council' AND record_id = NEW.id;
    INSERT INTO sync_changes (entity, record_id, village_id) VALUES ('council', NEW.id, NEW.village_id);
END;
CREATE TRIGGER councils_changed_update AFTER UPDATE ON councils BEGIN
    DELETE FROM sync_changes WHERE entity = 'council' AND record_id = NEW.id;
    INSERT INTO sync_changes (entity, record_id, village_id) VALUES ('council', NEW.id, NEW.village_id);
END;
CREATE TRIGGER councils_changed_delete AFTER DELETE ON councils BEGIN
    DELETE FROM sync_changes WHERE entity = 'council' AND record_id = OLD.id;
    INSERT INTO sync_changes (entity, record_id, village_id, deleted) VALUES ('council', OLD.id, OLD.village_id, 1);
END;

CREATE TRIGGER council_members_changed_insert AFTER INSERT ON council_members BEGIN
    DELETE FROM sync_changes WHERE entity = 'member' AND record_id = NEW.id;
    INSERT INTO sync_changes (entity, record_id, village_id)
        VALUES ('member', NEW.id, (SELECT village_id FROM councils WHERE id = NEW.council_id));
END;
CREATE TRIGGER council_members_changed_update AFTER UPDATE ON council_members BEGIN
    DELETE FROM sync_changes WHERE entity = 'member' AND record_id = NEW.id;
    INSERT INTO sync_changes (entity, record_id, village_id)
        VALUES ('member', NEW.id, (SELECT village_id FROM councils WHERE id = NEW.council_id));
END;
CREATE TRIGGER council_members_changed_delete AFTER DELETE ON council_members BEGIN
    DELETE FROM sync_changes WHERE entity = 'member' AND record_id = OLD.id;
    INSERT INTO sync_changes (entity, record_id, village_id, deleted)
        VALUES ('member', OLD.id, (SELECT village_id FROM councils WHERE id = OLD.council_id), 1);
END;

-- Records that existed before this migration.
INSERT INTO sync_changes (entity, record_id, village_id) SELECT 'council', id, village_id FROM councils;
INSERT INTO sync_changes (entity, record_id, village_id)
    SELECT 'member', m.id, c.village_id FROM council_members m JOIN councils c ON c.id = m.council_id;

-- One account per member: "my tasks" of a member belongs to one person.
CREATE UNIQUE INDEX accounts_one_per_member ON accounts (member_id) WHERE member_id IS NOT NULL;

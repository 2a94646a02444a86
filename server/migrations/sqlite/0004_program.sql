-- Issue 5: offences, visits, meetings and decisions travel through sync like tasks (see
-- 0003_sync.sql for why triggers keep `sync_changes`), and a task may point at a household.

-- A task can concern a household (an address) rather than a registered person.
ALTER TABLE tasks ADD COLUMN household TEXT;

CREATE TRIGGER offences_changed_insert AFTER INSERT ON offences BEGIN
    DELETE FROM sync_changes WHERE entity = 'offence' AND record_id = NEW.id;
    INSERT INTO sync_changes (entity, record_id, village_id) VALUES ('offence', NEW.id, NEW.village_id);
END;
CREATE TRIGGER offences_changed_update AFTER UPDATE ON offences BEGIN
    DELETE FROM sync_changes WHERE entity = 'offence' AND record_id = NEW.id;
    INSERT INTO sync_changes (entity, record_id, village_id) VALUES ('offence', NEW.id, NEW.village_id);
END;
CREATE TRIGGER offences_changed_delete AFTER DELETE ON offences BEGIN
    DELETE FROM sync_changes WHERE entity = 'offence' AND record_id = OLD.id;
    INSERT INTO sync_changes (entity, record_id, village_id, deleted) VALUES ('offence', OLD.id, OLD.village_id, 1);
END;
-- Linking persons changes the offence its readers see.
CREATE TRIGGER offence_persons_changed AFTER INSERT ON offence_persons BEGIN
    UPDATE offences SET updated_at = updated_at WHERE id = NEW.offence_id;
END;

CREATE TRIGGER visits_changed_insert AFTER INSERT ON visits BEGIN
    DELETE FROM sync_changes WHERE entity = 'visit' AND record_id = NEW.id;
    INSERT INTO sync_changes (entity, record_id, village_id) VALUES ('visit', NEW.id, NEW.village_id);
END;
CREATE TRIGGER visits_changed_update AFTER UPDATE ON visits BEGIN
    DELETE FROM sync_changes WHERE entity = 'visit' AND record_id = NEW.id;
    INSERT INTO sync_changes (entity, record_id, village_id) VALUES ('visit', NEW.id, NEW.village_id);
END;
CREATE TRIGGER visits_changed_delete AFTER DELETE ON visits BEGIN
    DELETE FROM sync_changes WHERE entity = 'visit' AND record_id = OLD.id;
    INSERT INTO sync_changes (entity, record_id, village_id, deleted) VALUES ('visit', OLD.id, OLD.village_id, 1);
END;

-- A meeting belongs to a council; sync places it in the council's village.
CREATE TRIGGER meetings_changed_insert AFTER INSERT ON meetings BEGIN
    DELETE FROM sync_changes WHERE entity = 'meeting' AND record_id = NEW.id;
    INSERT INTO sync_changes (entity, record_id, village_id) VALUES ('meeting', NEW.id, (SELECT village_id FROM councils WHERE id = NEW.council_id));
END;
CREATE TRIGGER meetings_changed_update AFTER UPDATE ON meetings BEGIN
    DELETE FROM sync_changes WHERE entity = 'meeting' AND record_id = NEW.id;
    INSERT INTO sync_changes (entity, record_id, village_id) VALUES ('meeting', NEW.id, (SELECT village_id FROM councils WHERE id = NEW.council_id));
END;
CREATE TRIGGER meetings_changed_delete AFTER DELETE ON meetings BEGIN
    DELETE FROM sync_changes WHERE entity = 'meeting' AND record_id = OLD.id;
    INSERT INTO sync_changes (entity, record_id, village_id, deleted) VALUES ('meeting', OLD.id, (SELECT village_id FROM councils WHERE id = OLD.council_id), 1);
END;

CREATE TRIGGER decisions_changed_insert AFTER INSERT ON decisions BEGIN
    DELETE FROM sync_changes WHERE entity = 'decision' AND record_id = NEW.id;
    INSERT INTO sync_changes (entity, record_id, village_id) VALUES ('decision', NEW.id, NEW.village_id);
END;
CREATE TRIGGER decisions_changed_update AFTER UPDATE ON decisions BEGIN
    DELETE FROM sync_changes WHERE entity = 'decision' AND record_id = NEW.id;
    INSERT INTO sync_changes (entity, record_id, village_id) VALUES ('decision', NEW.id, NEW.village_id);
END;
CREATE TRIGGER decisions_changed_delete AFTER DELETE ON decisions BEGIN
    DELETE FROM sync_changes WHERE entity = 'decision' AND record_id = OLD.id;
    INSERT INTO sync_changes (entity, record_id, village_id, deleted) VALUES ('decision', OLD.id, OLD.village_id, 1);
END;

-- Records that existed before this migration.
INSERT INTO sync_changes (entity, record_id, village_id) SELECT 'offence', id, village_id FROM offences;
INSERT INTO sync_changes (entity, record_id, village_id) SELECT 'visit', id, village_id FROM visits;
INSERT INTO sync_changes (entity, record_id, village_id)
    SELECT 'meeting', m.id, c.village_id FROM meetings m JOIN councils c ON c.id = m.council_id;
INSERT INTO sync_changes (entity, record_id, village_id) SELECT 'decision', id, village_id FROM decisions;

-- Lists by village and date, and a person's history.
CREATE INDEX visits_by_person ON visits (person_id);
CREATE INDEX offence_persons_by_person ON offence_persons (person_id);
CREATE INDEX decisions_by_meeting ON decisions (meeting_id);

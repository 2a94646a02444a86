-- Issue 14: sharing that ends. A council member reads a person only while an open task linked
-- to that person is assigned to them, and an inspector or supervisor only in their villages.
-- Whenever either changes, the person's change row is replaced (touching the person fires
-- `persons_changed_update`), so each device's next pull weighs the person again: a device that
-- may still read them gets the record, one that may no longer gets a tombstone, one that newly
-- may gets it even though the person is older than its cursor.

-- A person deleted (the app never does; the demo purge does) leaves a tombstone, written after
-- whatever weighed the person again before it went.
CREATE TRIGGER persons_changed_delete AFTER DELETE ON persons BEGIN
    DELETE FROM sync_changes WHERE entity = 'person' AND record_id = OLD.id;
    INSERT INTO sync_changes (entity, record_id, village_id, deleted)
    VALUES ('person', OLD.id, OLD.village_id, 1);
END;

-- The task's person changed, or the task opened or closed: both persons are weighed again.
CREATE TRIGGER tasks_sharing_changed AFTER UPDATE OF person_id, status ON tasks
WHEN OLD.person_id IS NOT NEW.person_id
     OR (OLD.status IN ('verified', 'cancelled')) <> (NEW.status IN ('verified', 'cancelled')) BEGIN
    UPDATE persons SET version = version WHERE id IN (OLD.person_id, NEW.person_id);
END;

-- A task linked to a person got a new assignee.
CREATE TRIGGER task_assignees_sharing_added AFTER INSERT ON task_assignees BEGIN
    UPDATE persons SET version = version
    WHERE id = (SELECT person_id FROM tasks WHERE id = NEW.task_id);
END;

-- An assignee was taken off a task: the task's other readers see it changed (as on insert), and
-- its person is weighed again.
CREATE TRIGGER task_assignees_sharing_removed AFTER DELETE ON task_assignees BEGIN
    UPDATE tasks SET updated_at = updated_at WHERE id = OLD.task_id;
    UPDATE persons SET version = version
    WHERE id = (SELECT person_id FROM tasks WHERE id = OLD.task_id);
END;

-- The villages of an account that reads persons by its villages changed: every person of the
-- village is weighed again (for other roles the village decides nothing about persons).
CREATE TRIGGER account_villages_added AFTER INSERT ON account_villages
WHEN (SELECT role FROM accounts WHERE id = NEW.account_id)
     IN ('inspector', 'district_supervisor', 'region_coordinator') BEGIN
    UPDATE persons SET version = version WHERE village_id = NEW.village_id;
END;
CREATE TRIGGER account_villages_removed AFTER DELETE ON account_villages
WHEN (SELECT role FROM accounts WHERE id = OLD.account_id)
     IN ('inspector', 'district_supervisor', 'region_coordinator') BEGIN
    UPDATE persons SET version = version WHERE village_id = OLD.village_id;
END;

-- A council member's account linked to another member record, or unlinked (the member left
-- the council): the persons shared with either member are weighed again.
CREATE TRIGGER accounts_member_changed AFTER UPDATE OF member_id ON accounts
WHEN OLD.member_id IS NOT NEW.member_id BEGIN
    UPDATE persons SET version = version WHERE id IN (
        SELECT t.person_id FROM tasks t JOIN task_assignees ta ON ta.task_id = t.id
        WHERE ta.member_id IN (OLD.member_id, NEW.member_id));
END;

-- A village moved to another district: its persons are weighed again for both supervisors.
CREATE TRIGGER villages_district_changed AFTER UPDATE OF district_id ON villages
WHEN OLD.district_id IS NOT NEW.district_id BEGIN
    UPDATE persons SET version = version WHERE village_id = NEW.id;
END;

-- An account's district, scope or role changed (a supervisor moved, an inspector made
-- supervisor): the persons of the districts before and after are weighed again.
CREATE TRIGGER accounts_scope_changed AFTER UPDATE OF district_id, scope_kind, role ON accounts
WHEN OLD.district_id IS NOT NEW.district_id OR OLD.scope_kind IS NOT NEW.scope_kind
     OR OLD.role IS NOT NEW.role BEGIN
    UPDATE persons SET version = version
    WHERE OLD.scope_kind = 'region' OR NEW.scope_kind = 'region' OR village_id IN (
        SELECT id FROM villages WHERE district_id IN (OLD.district_id, NEW.district_id)
        UNION SELECT village_id FROM account_villages WHERE account_id = NEW.id);
END;

-- The persons each account has been handed by a pull (its audit says so too). A role that reads
-- persons only when shared gets a tombstone only for a person it was handed before: nobody else
-- learns a person's id from a pull (issue 14).
CREATE TABLE person_handouts (
    account_id  TEXT NOT NULL REFERENCES accounts (id),
    person_id   TEXT NOT NULL,
    PRIMARY KEY (account_id, person_id)
) WITHOUT ROWID;

-- Persons handed out before this table existed: as the audit recorded them (retention may have
-- pruned old lines), and, so that none is missed, every person any task ever shared with a
-- member's account and every person in the villages of an account that reads them by scope.
INSERT OR IGNORE INTO person_handouts (account_id, person_id)
SELECT DISTINCT account_id, record_id FROM audit_events
WHERE entity = 'person' AND action = 'read' AND detail = 'sync'
  AND account_id IN (SELECT id FROM accounts) AND record_id IS NOT NULL;
INSERT OR IGNORE INTO person_handouts (account_id, person_id)
SELECT a.id, t.person_id FROM accounts a
JOIN task_assignees ta ON ta.member_id = a.member_id JOIN tasks t ON t.id = ta.task_id
WHERE t.person_id IS NOT NULL;
INSERT OR IGNORE INTO person_handouts (account_id, person_id)
SELECT a.id, p.id FROM accounts a JOIN persons p ON
    (a.scope_kind = 'region')
    OR (a.scope_kind = 'district'
        AND p.village_id IN (SELECT id FROM villages WHERE district_id = a.district_id))
    OR (a.scope_kind = 'villages'
        AND p.village_id IN (SELECT village_id FROM account_villages WHERE account_id = a.id))
WHERE a.role IN ('inspector', 'district_supervisor', 'region_coordinator');

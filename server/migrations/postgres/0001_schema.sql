-- The schema on PostgreSQL (issue 18): the same tables, columns and rules as SQLite's
-- migrations 0001 to 0014 (`server/migrations/sqlite`), so both backends behave alike and
-- `server migrate` copies rows by name. Kept alike on purpose: TEXT ids, ISO-8601 text times,
-- 0/1 flags (BOOLEAN here: SQL says TRUE and FALSE, which SQLite reads as 1 and 0, and
-- Rust's bool binds to both), integers as BIGINT (Rust's i64), CHECK lists. What differs is what
-- SQLite does by its nature and PostgreSQL must be told: the change feed's order (below) and
-- the triggers, written once as functions.

CREATE TABLE districts (
    id          TEXT PRIMARY KEY,
    name_ru     TEXT NOT NULL UNIQUE,
    name_kk     TEXT,
    centre_lat  DOUBLE PRECISION,
    centre_lon  DOUBLE PRECISION
);

CREATE TABLE villages (
    id                   TEXT PRIMARY KEY,
    district_id          TEXT NOT NULL REFERENCES districts (id),
    name_ru              TEXT NOT NULL,
    name_kk              TEXT,
    rural_okrug_ru       TEXT,
    program_status       TEXT NOT NULL CHECK (program_status IN ('not_joined', 'joined', 'pilot')),
    joined_on            TEXT,
    lat                  DOUBLE PRECISION,
    lon                  DOUBLE PRECISION,
    position_approximate BOOLEAN NOT NULL DEFAULT TRUE,
    boundary_geojson     TEXT,
    population           BIGINT,
    source_note          TEXT,
    left_on              TEXT,
    households           BIGINT CHECK (households IS NULL OR households >= 0),
    population_source    TEXT,
    population_year      BIGINT,
    demo                 BOOLEAN NOT NULL DEFAULT FALSE,
    membership_demo      BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (district_id, name_ru)
);

CREATE TABLE councils (
    id          TEXT PRIMARY KEY,
    village_id  TEXT NOT NULL UNIQUE REFERENCES villages (id),
    formed_on   TEXT,
    demo        BOOLEAN NOT NULL DEFAULT FALSE,
    version     BIGINT NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE council_members (
    id          TEXT PRIMARY KEY,
    council_id  TEXT NOT NULL REFERENCES councils (id),
    full_name   TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('chair', 'elder', 'akimat', 'business', 'other')),
    phone       TEXT,
    since       TEXT,
    left_on     TEXT,
    demo        BOOLEAN NOT NULL DEFAULT FALSE,
    version     BIGINT NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX council_members_by_council ON council_members (council_id);

CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'region_coordinator', 'district_supervisor',
                                                'inspector', 'council_chair', 'council_member', 'akimat')),
    scope_kind    TEXT NOT NULL CHECK (scope_kind IN ('villages', 'district', 'region')),
    district_id   TEXT REFERENCES districts (id),
    member_id     TEXT REFERENCES council_members (id),
    language      TEXT NOT NULL DEFAULT 'ru' CHECK (language IN ('ru', 'kk', 'en')),
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TEXT NOT NULL,
    demo          BOOLEAN NOT NULL DEFAULT FALSE,
    CHECK ((scope_kind = 'district') = (district_id IS NOT NULL))
);
CREATE UNIQUE INDEX accounts_one_per_member ON accounts (member_id) WHERE member_id IS NOT NULL;

CREATE TABLE account_villages (
    account_id  TEXT NOT NULL REFERENCES accounts (id),
    village_id  TEXT NOT NULL REFERENCES villages (id),
    PRIMARY KEY (account_id, village_id)
);

CREATE TABLE persons (
    id                       TEXT PRIMARY KEY,
    village_id               TEXT NOT NULL REFERENCES villages (id),
    full_name                TEXT NOT NULL,
    birth_year               BIGINT,
    household                TEXT,
    categories               TEXT NOT NULL DEFAULT '[]',
    register_basis           TEXT CHECK (register_basis IN ('protective_order', 'special_requirements',
                                         'parole', 'administrative_supervision', 'official_warning',
                                         'non_custodial_sentence', 'unexpunged_conviction')),
    responsible_inspector_id TEXT REFERENCES accounts (id),
    status                   TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
    note                     TEXT,
    version                  BIGINT NOT NULL DEFAULT 1,
    created_at               TEXT NOT NULL,
    updated_at               TEXT NOT NULL,
    demo                     BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX persons_by_village ON persons (village_id);

CREATE TABLE offences (
    id               TEXT PRIMARY KEY,
    village_id       TEXT NOT NULL REFERENCES villages (id),
    occurred_at      TEXT NOT NULL,
    category         TEXT NOT NULL CHECK (category IN ('domestic', 'public_order', 'theft', 'cattle_theft',
                                          'internet_fraud', 'alcohol', 'grazing', 'traffic', 'other')),
    kind             TEXT NOT NULL CHECK (kind IN ('administrative', 'criminal')),
    description      TEXT,
    register_number  TEXT,
    recorded_by      TEXT REFERENCES accounts (id),
    version          BIGINT NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    demo             BOOLEAN NOT NULL DEFAULT FALSE,
    lat              DOUBLE PRECISION,
    lon              DOUBLE PRECISION
);
CREATE INDEX offences_by_village_time ON offences (village_id, occurred_at);
CREATE INDEX offences_by_time ON offences (occurred_at, village_id, category, kind);

CREATE TABLE offence_persons (
    offence_id   TEXT NOT NULL REFERENCES offences (id),
    person_id    TEXT NOT NULL REFERENCES persons (id),
    occurred_at  TEXT,
    village_id   TEXT,
    PRIMARY KEY (offence_id, person_id)
);
CREATE INDEX offence_persons_by_person ON offence_persons (person_id);
CREATE INDEX offence_persons_by_time ON offence_persons (occurred_at, person_id, offence_id, village_id);
CREATE INDEX offence_persons_by_village ON offence_persons (village_id, occurred_at, person_id);

CREATE TABLE visits (
    id          TEXT PRIMARY KEY,
    village_id  TEXT NOT NULL REFERENCES villages (id),
    person_id   TEXT REFERENCES persons (id),
    household   TEXT,
    visitor_id  TEXT REFERENCES accounts (id),
    kind        TEXT NOT NULL CHECK (kind IN ('visit', 'preventive_talk')),
    visited_at  TEXT NOT NULL,
    outcome     TEXT,
    note        TEXT,
    lat         DOUBLE PRECISION,
    lon         DOUBLE PRECISION,
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    demo        BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX visits_by_person ON visits (person_id);

CREATE TABLE proposals (
    id           TEXT PRIMARY KEY,
    village_id   TEXT NOT NULL REFERENCES villages (id),
    author       TEXT NOT NULL,
    category     TEXT NOT NULL CHECK (category IN ('grazing', 'cattle_theft', 'internet_fraud', 'alcohol',
                                      'youth', 'lighting', 'roads', 'other')),
    body         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('submitted', 'under_review', 'accepted', 'rejected',
                                    'implemented')),
    answer       TEXT,
    submitted_on TEXT NOT NULL,
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    demo         BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE tasks (
    id           TEXT PRIMARY KEY,
    village_id   TEXT NOT NULL REFERENCES villages (id),
    title        TEXT NOT NULL,
    details      TEXT,
    creator_id   TEXT REFERENCES accounts (id),
    due_on       TEXT,
    priority     TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high')),
    status       TEXT NOT NULL CHECK (status IN ('new', 'in_progress', 'done', 'verified', 'cancelled')),
    person_id    TEXT REFERENCES persons (id),
    proposal_id  TEXT REFERENCES proposals (id),
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    demo         BOOLEAN NOT NULL DEFAULT FALSE,
    household    TEXT
);

CREATE TABLE task_assignees (
    task_id    TEXT NOT NULL REFERENCES tasks (id),
    member_id  TEXT NOT NULL REFERENCES council_members (id),
    PRIMARY KEY (task_id, member_id)
);

CREATE TABLE task_updates (
    id          TEXT PRIMARY KEY,
    task_id     TEXT NOT NULL REFERENCES tasks (id),
    author_id   TEXT REFERENCES accounts (id),
    status      TEXT CHECK (status IN ('new', 'in_progress', 'done', 'verified', 'cancelled')),
    note        TEXT,
    created_at  TEXT NOT NULL,
    demo        BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE events (
    id          TEXT PRIMARY KEY,
    village_id  TEXT NOT NULL REFERENCES villages (id),
    kind        TEXT NOT NULL CHECK (kind IN ('law_and_order', 'healthy_lifestyle', 'anti_fraud',
                                 'conscription_guidance', 'sport', 'youth_meeting', 'other')),
    title       TEXT NOT NULL,
    held_on     TEXT NOT NULL,
    audience    TEXT,
    attendance  BIGINT CHECK (attendance IS NULL OR attendance >= 0),
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    demo        BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE meetings (
    id          TEXT PRIMARY KEY,
    council_id  TEXT NOT NULL REFERENCES councils (id),
    held_on     TEXT NOT NULL,
    attendees   TEXT,
    agenda      TEXT,
    minutes     TEXT,
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    demo        BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE decisions (
    id            TEXT PRIMARY KEY,
    village_id    TEXT NOT NULL REFERENCES villages (id),
    meeting_id    TEXT REFERENCES meetings (id),
    body          TEXT NOT NULL,
    effective_on  TEXT,
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    demo          BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX decisions_by_meeting ON decisions (meeting_id);

CREATE TABLE map_features (
    id          TEXT PRIMARY KEY,
    village_id  TEXT NOT NULL REFERENCES villages (id),
    layer       TEXT NOT NULL CHECK (layer IN ('boundary', 'streets', 'households', 'landmarks')),
    kind        TEXT CHECK (kind IS NULL OR kind IN ('school', 'akimat', 'shop', 'pasture', 'water_point', 'other')),
    name        TEXT,
    geometry    TEXT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1,
    created_by  TEXT REFERENCES accounts (id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    demo        BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX map_features_by_village ON map_features (village_id, layer);

CREATE TABLE devices (
    id            TEXT PRIMARY KEY,
    account_id    TEXT NOT NULL REFERENCES accounts (id),
    label         TEXT,
    last_sync_at  TEXT,
    revoked_at    TEXT,
    created_at    TEXT NOT NULL,
    applied_seq   BIGINT NOT NULL DEFAULT 0,
    key_share     TEXT,
    browser_id    TEXT REFERENCES devices (id),
    cookie_hash   TEXT,
    app_version   TEXT,
    last_seen_at  BIGINT,
    kind          TEXT NOT NULL DEFAULT 'browser' CHECK (kind IN ('browser', 'sync'))
);
CREATE INDEX devices_by_account ON devices (account_id);
CREATE INDEX devices_by_browser ON devices (browser_id);

CREATE TABLE audit_events (
    id          TEXT PRIMARY KEY,
    at          TEXT NOT NULL,
    account_id  TEXT REFERENCES accounts (id),
    device_id   TEXT,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    record_id   TEXT,
    detail      TEXT,
    village_id  TEXT REFERENCES villages (id),
    outcome     TEXT NOT NULL DEFAULT 'allowed' CHECK (outcome IN ('allowed', 'denied'))
);
CREATE INDEX audit_events_by_time ON audit_events (at);
CREATE INDEX audit_events_by_village ON audit_events (village_id, at);

CREATE TABLE data_loads (
    name       TEXT PRIMARY KEY,
    loaded_at  TEXT NOT NULL
);

-- Sessions and sign-in limits live here, not in a server's memory: every instance over this
-- database sees the same ones (issue 18).
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    account_id    TEXT NOT NULL REFERENCES accounts (id),
    device_id     TEXT NOT NULL REFERENCES devices (id),
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

CREATE TABLE login_throttle (
    key            TEXT PRIMARY KEY,
    failures       BIGINT NOT NULL,
    first_failure  BIGINT NOT NULL,
    locked_until   BIGINT
);

CREATE TABLE tile_cache (
    zoom          BIGINT NOT NULL,
    x             BIGINT NOT NULL,
    y             BIGINT NOT NULL,
    data          BYTEA NOT NULL,
    content_type  TEXT NOT NULL,
    fetched_at    TEXT NOT NULL,
    last_used_at  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (zoom, x, y)
);
CREATE INDEX tile_cache_by_last_use ON tile_cache (last_used_at);

CREATE TABLE month_closings (
    village_id  TEXT NOT NULL REFERENCES villages (id),
    month       TEXT NOT NULL CHECK (length(month) = 7),
    offences    BIGINT NOT NULL CHECK (offences >= 0),
    closed_by   TEXT REFERENCES accounts (id),
    closed_at   TEXT NOT NULL,
    demo        BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (village_id, month)
);

CREATE TABLE offence_months (
    village_id  TEXT NOT NULL,
    month       TEXT NOT NULL,
    offences    BIGINT NOT NULL,
    PRIMARY KEY (village_id, month)
);

CREATE TABLE person_handouts (
    account_id  TEXT NOT NULL REFERENCES accounts (id),
    person_id   TEXT NOT NULL,
    PRIMARY KEY (account_id, person_id)
);

-- The sync contract (DESIGN §4).
CREATE TABLE sync_mutations (
    device_id    TEXT NOT NULL REFERENCES devices (id),
    seq          BIGINT NOT NULL,
    mutation_id  TEXT NOT NULL,
    entity       TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('applied', 'rejected', 'conflict', 'skipped')),
    answer       TEXT NOT NULL,
    at           TEXT NOT NULL,
    PRIMARY KEY (device_id, seq),
    UNIQUE (device_id, mutation_id)
);

CREATE TABLE sync_horizon (
    id             BIGINT PRIMARY KEY CHECK (id = 1),
    pruned_below   BIGINT NOT NULL
);
INSERT INTO sync_horizon (id, pruned_below) VALUES (1, 0);

CREATE TABLE installation (
    id      BIGINT PRIMARY KEY CHECK (id = 1),
    epoch   TEXT NOT NULL,
    copy    BOOLEAN NOT NULL DEFAULT FALSE
);
INSERT INTO installation (id, epoch) VALUES (1, replace(gen_random_uuid()::text, '-', ''));

-- The change feed (DESIGN §4.4). On SQLite one writer at a time makes the versions follow the
-- commits. Here many transactions write at once, and a sequence hands out values before
-- their transactions commit: a pull could see version 10 committed while 9 is still open,
-- move its cursor past 9 and never see it. So whoever writes a change takes the feed's lock
-- first and keeps it to the end of its transaction: a transaction that takes a version
-- commits (or rolls back) before the next one can take one, and a pull that sees a version
-- has seen every version below it that will ever exist. Writes of synced records queue for
-- that lock, as they queue for SQLite's write lock; everything else runs in parallel.
CREATE SEQUENCE sync_version;
CREATE TABLE sync_changes (
    version        BIGINT PRIMARY KEY,
    entity         TEXT NOT NULL,
    record_id      TEXT NOT NULL,
    village_id     TEXT NOT NULL,
    deleted        BOOLEAN NOT NULL DEFAULT FALSE,
    changed_at     TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    origin_device  TEXT,
    UNIQUE (entity, record_id)
);
CREATE INDEX sync_changes_by_village ON sync_changes (village_id, version);

-- The key of the feed's lock: any constant, the same in every instance.
CREATE FUNCTION record_change(kind TEXT, id TEXT, village TEXT, gone BOOLEAN) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7318201);
    DELETE FROM sync_changes WHERE entity = kind AND record_id = id;
    INSERT INTO sync_changes (version, entity, record_id, village_id, deleted)
    VALUES (nextval('sync_version'), kind, id, village, gone);
END;
$$;

-- A synced table's row changed: TG_ARGV[0] names its entity on the wire.
CREATE FUNCTION sync_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM record_change(TG_ARGV[0], OLD.id, OLD.village_id, TRUE);
    ELSE
        PERFORM record_change(TG_ARGV[0], NEW.id, NEW.village_id, FALSE);
    END IF;
    RETURN NULL;
END;
$$;

-- Meetings and members live in their council's village.
CREATE FUNCTION sync_council_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM record_change(TG_ARGV[0], OLD.id,
            (SELECT village_id FROM councils WHERE id = OLD.council_id), TRUE);
    ELSE
        PERFORM record_change(TG_ARGV[0], NEW.id,
            (SELECT village_id FROM councils WHERE id = NEW.council_id), FALSE);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER tasks_changed AFTER INSERT OR UPDATE OR DELETE ON tasks
    FOR EACH ROW EXECUTE FUNCTION sync_row_changed('task');
CREATE TRIGGER proposals_changed AFTER INSERT OR UPDATE OR DELETE ON proposals
    FOR EACH ROW EXECUTE FUNCTION sync_row_changed('proposal');
CREATE TRIGGER events_changed AFTER INSERT OR UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION sync_row_changed('event');
CREATE TRIGGER persons_changed AFTER INSERT OR UPDATE OR DELETE ON persons
    FOR EACH ROW EXECUTE FUNCTION sync_row_changed('person');
CREATE TRIGGER offences_changed AFTER INSERT OR UPDATE OR DELETE ON offences
    FOR EACH ROW EXECUTE FUNCTION sync_row_changed('offence');
CREATE TRIGGER visits_changed AFTER INSERT OR UPDATE OR DELETE ON visits
    FOR EACH ROW EXECUTE FUNCTION sync_row_changed('visit');
CREATE TRIGGER decisions_changed AFTER INSERT OR UPDATE OR DELETE ON decisions
    FOR EACH ROW EXECUTE FUNCTION sync_row_changed('decision');
CREATE TRIGGER map_features_changed AFTER INSERT OR UPDATE OR DELETE ON map_features
    FOR EACH ROW EXECUTE FUNCTION sync_row_changed('feature');
CREATE TRIGGER councils_changed AFTER INSERT OR UPDATE OR DELETE ON councils
    FOR EACH ROW EXECUTE FUNCTION sync_row_changed('council');
CREATE TRIGGER meetings_changed AFTER INSERT OR UPDATE OR DELETE ON meetings
    FOR EACH ROW EXECUTE FUNCTION sync_council_row_changed('meeting');
CREATE TRIGGER council_members_changed AFTER INSERT OR UPDATE OR DELETE ON council_members
    FOR EACH ROW EXECUTE FUNCTION sync_council_row_changed('member');

-- A change that alters what a record's readers see touches the record, so its row moves up
-- the feed (the SQLite triggers of migrations 0003, 0004 and 0012).
CREATE FUNCTION touch_task() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tasks SET updated_at = updated_at
    WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.task_id ELSE NEW.task_id END;
    RETURN NULL;
END;
$$;
CREATE TRIGGER task_assignees_changed AFTER INSERT OR DELETE ON task_assignees
    FOR EACH ROW EXECUTE FUNCTION touch_task();

CREATE FUNCTION touch_offence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE offences SET updated_at = updated_at WHERE id = NEW.offence_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER offence_persons_changed AFTER INSERT ON offence_persons
    FOR EACH ROW EXECUTE FUNCTION touch_offence();

-- Sharing that ends (migration 0012): whenever who may read a person changes, the person is
-- weighed again at each device's next pull.
CREATE FUNCTION weigh_persons_of_task() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'tasks' THEN
        IF OLD.person_id IS DISTINCT FROM NEW.person_id
           OR (OLD.status IN ('verified', 'cancelled')) <> (NEW.status IN ('verified', 'cancelled')) THEN
            UPDATE persons SET version = version WHERE id IN (OLD.person_id, NEW.person_id);
        END IF;
    ELSE
        UPDATE persons SET version = version WHERE id = (SELECT person_id FROM tasks
            WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.task_id ELSE NEW.task_id END);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER tasks_sharing_changed AFTER UPDATE OF person_id, status ON tasks
    FOR EACH ROW EXECUTE FUNCTION weigh_persons_of_task();
CREATE TRIGGER task_assignees_sharing_changed AFTER INSERT OR DELETE ON task_assignees
    FOR EACH ROW EXECUTE FUNCTION weigh_persons_of_task();

CREATE FUNCTION weigh_persons_of_account_village() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed account_villages;
BEGIN
    changed := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    IF (SELECT role FROM accounts WHERE id = changed.account_id)
       IN ('inspector', 'district_supervisor', 'region_coordinator') THEN
        UPDATE persons SET version = version WHERE village_id = changed.village_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER account_villages_changed AFTER INSERT OR DELETE ON account_villages
    FOR EACH ROW EXECUTE FUNCTION weigh_persons_of_account_village();

CREATE FUNCTION weigh_persons_of_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.member_id IS DISTINCT FROM NEW.member_id THEN
        UPDATE persons SET version = version WHERE id IN (
            SELECT t.person_id FROM tasks t JOIN task_assignees ta ON ta.task_id = t.id
            WHERE ta.member_id IN (OLD.member_id, NEW.member_id));
    END IF;
    IF OLD.district_id IS DISTINCT FROM NEW.district_id
       OR OLD.scope_kind IS DISTINCT FROM NEW.scope_kind OR OLD.role IS DISTINCT FROM NEW.role THEN
        UPDATE persons SET version = version
        WHERE OLD.scope_kind = 'region' OR NEW.scope_kind = 'region' OR village_id IN (
            SELECT id FROM villages WHERE district_id IN (OLD.district_id, NEW.district_id)
            UNION SELECT village_id FROM account_villages WHERE account_id = NEW.id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER accounts_sharing_changed AFTER UPDATE OF member_id, district_id, scope_kind, role
    ON accounts FOR EACH ROW EXECUTE FUNCTION weigh_persons_of_account();

CREATE FUNCTION weigh_persons_of_village() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.district_id IS DISTINCT FROM NEW.district_id THEN
        UPDATE persons SET version = version WHERE village_id = NEW.id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER villages_district_changed AFTER UPDATE OF district_id ON villages
    FOR EACH ROW EXECUTE FUNCTION weigh_persons_of_village();

-- Offences per village and month, and each person link's day and village (migration 0013).
CREATE FUNCTION count_offence_months() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE offence_months SET offences = offences - 1
        WHERE village_id = OLD.village_id AND month = substr(OLD.occurred_at, 1, 7);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO offence_months (village_id, month, offences)
        VALUES (NEW.village_id, substr(NEW.occurred_at, 1, 7), 1)
        ON CONFLICT (village_id, month) DO UPDATE SET offences = offence_months.offences + 1;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        UPDATE offence_persons SET occurred_at = NEW.occurred_at, village_id = NEW.village_id
        WHERE offence_id = NEW.id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER offence_months_insert AFTER INSERT OR DELETE ON offences
    FOR EACH ROW EXECUTE FUNCTION count_offence_months();
CREATE TRIGGER offence_months_update AFTER UPDATE OF village_id, occurred_at ON offences
    FOR EACH ROW EXECUTE FUNCTION count_offence_months();

CREATE FUNCTION date_offence_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT occurred_at, village_id INTO NEW.occurred_at, NEW.village_id
    FROM offences WHERE id = NEW.offence_id;
    RETURN NEW;
END;
$$;
CREATE TRIGGER offence_persons_dated BEFORE INSERT ON offence_persons
    FOR EACH ROW EXECUTE FUNCTION date_offence_person();

-- Initial schema. Kept portable to PostgreSQL: TEXT ids (UUIDv7), ISO-8601 text timestamps
-- and dates, INTEGER 0/1 for booleans, CHECK lists instead of engine-specific enums.
-- `demo` marks rows loaded as demonstration data (never real people or real events).

CREATE TABLE districts (
    id          TEXT PRIMARY KEY,
    name_ru     TEXT NOT NULL UNIQUE,
    name_kk     TEXT,
    centre_lat  REAL,
    centre_lon  REAL
);

CREATE TABLE villages (
    id                   TEXT PRIMARY KEY,
    district_id          TEXT NOT NULL REFERENCES districts (id),
    name_ru              TEXT NOT NULL,
    name_kk              TEXT,
    rural_okrug_ru       TEXT,
    program_status       TEXT NOT NULL CHECK (program_status IN ('not_joined', 'joined', 'pilot')),
    joined_on            TEXT,
    lat                  REAL,
    lon                  REAL,
    -- 1 until an admin sets the real position on the map.
    position_approximate INTEGER NOT NULL DEFAULT 1 CHECK (position_approximate IN (0, 1)),
    boundary_geojson     TEXT,
    population           INTEGER,
    source_note          TEXT,
    UNIQUE (district_id, name_ru)
);

CREATE TABLE councils (
    id          TEXT PRIMARY KEY,
    village_id  TEXT NOT NULL UNIQUE REFERENCES villages (id),
    formed_on   TEXT,
    demo        INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);

CREATE TABLE council_members (
    id          TEXT PRIMARY KEY,
    council_id  TEXT NOT NULL REFERENCES councils (id),
    full_name   TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('chair', 'elder', 'akimat', 'business', 'other')),
    phone       TEXT,
    since       TEXT,
    left_on     TEXT,
    demo        INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
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
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT NOT NULL,
    demo          INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    CHECK ((scope_kind = 'district') = (district_id IS NOT NULL))
);

CREATE TABLE account_villages (
    account_id  TEXT NOT NULL REFERENCES accounts (id),
    village_id  TEXT NOT NULL REFERENCES villages (id),
    PRIMARY KEY (account_id, village_id)
);

CREATE TABLE persons (
    id                      TEXT PRIMARY KEY,
    village_id              TEXT NOT NULL REFERENCES villages (id),
    full_name               TEXT NOT NULL,
    birth_year              INTEGER,
    household               TEXT,
    -- JSON array of category codes; several may apply.
    categories              TEXT NOT NULL DEFAULT '[]',
    register_basis          TEXT CHECK (register_basis IN ('protective_order', 'special_requirements',
                                        'parole', 'administrative_supervision', 'official_warning',
                                        'non_custodial_sentence', 'unexpunged_conviction')),
    responsible_inspector_id TEXT REFERENCES accounts (id),
    status                  TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
    note                    TEXT,
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    demo                    INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
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
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    demo             INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);
CREATE INDEX offences_by_village_time ON offences (village_id, occurred_at);

CREATE TABLE offence_persons (
    offence_id  TEXT NOT NULL REFERENCES offences (id),
    person_id   TEXT NOT NULL REFERENCES persons (id),
    PRIMARY KEY (offence_id, person_id)
);

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
    lat         REAL,
    lon         REAL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    demo        INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);

CREATE TABLE proposals (
    id          TEXT PRIMARY KEY,
    village_id  TEXT NOT NULL REFERENCES villages (id),
    author      TEXT NOT NULL,
    category    TEXT NOT NULL CHECK (category IN ('grazing', 'cattle_theft', 'internet_fraud', 'alcohol',
                                     'youth', 'lighting', 'roads', 'other')),
    body        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('submitted', 'under_review', 'accepted', 'rejected',
                                   'implemented')),
    answer      TEXT,
    submitted_on TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    demo        INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
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
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    demo         INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
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
    demo        INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);

CREATE TABLE events (
    id          TEXT PRIMARY KEY,
    village_id  TEXT NOT NULL REFERENCES villages (id),
    kind        TEXT NOT NULL CHECK (kind IN ('law_and_order', 'healthy_lifestyle', 'anti_fraud',
                                 'conscription_guidance', 'sport', 'youth_meeting', 'other')),
    title       TEXT NOT NULL,
    held_on     TEXT NOT NULL,
    audience    TEXT,
    attendance  INTEGER CHECK (attendance IS NULL OR attendance >= 0),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    demo        INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);

CREATE TABLE meetings (
    id          TEXT PRIMARY KEY,
    council_id  TEXT NOT NULL REFERENCES councils (id),
    held_on     TEXT NOT NULL,
    attendees   TEXT,
    agenda      TEXT,
    minutes     TEXT,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    demo        INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);

CREATE TABLE decisions (
    id            TEXT PRIMARY KEY,
    village_id    TEXT NOT NULL REFERENCES villages (id),
    meeting_id    TEXT REFERENCES meetings (id),
    body          TEXT NOT NULL,
    effective_on  TEXT,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    demo          INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);

CREATE TABLE devices (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts (id),
    label       TEXT,
    last_sync_at TEXT,
    revoked_at  TEXT,
    created_at  TEXT NOT NULL
);

CREATE TABLE audit_events (
    id          TEXT PRIMARY KEY,
    at          TEXT NOT NULL,
    account_id  TEXT REFERENCES accounts (id),
    device_id   TEXT,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    record_id   TEXT,
    detail      TEXT
);
CREATE INDEX audit_events_by_time ON audit_events (at);

-- Which one-off loads have run (reference places, demo data), so a restart never loads twice.
CREATE TABLE data_loads (
    name       TEXT PRIMARY KEY,
    loaded_at  TEXT NOT NULL
);

-- Issue 15: program membership and monthly reporting (docs/program-results.md).

-- Membership: the day a village left the program, its residents and households with where
-- and when they were counted. `demo` marks a comparison village made up for the demo;
-- `membership_demo` marks membership figures the demo wrote into a real village, which an
-- admin's save makes real and the demo purge clears.
ALTER TABLE villages ADD COLUMN left_on TEXT;
ALTER TABLE villages ADD COLUMN households INTEGER CHECK (households IS NULL OR households >= 0);
ALTER TABLE villages ADD COLUMN population_source TEXT;
ALTER TABLE villages ADD COLUMN population_year INTEGER;
ALTER TABLE villages ADD COLUMN demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1));
ALTER TABLE villages ADD COLUMN membership_demo INTEGER NOT NULL DEFAULT 0
    CHECK (membership_demo IN (0, 1));

-- A month closed by the inspector: the offences recorded for it when it was closed, so a zero
-- is a report ("no offences") and a month without a row is a gap.
CREATE TABLE month_closings (
    village_id  TEXT NOT NULL REFERENCES villages (id),
    month       TEXT NOT NULL CHECK (length(month) = 7),
    offences    INTEGER NOT NULL CHECK (offences >= 0),
    closed_by   TEXT REFERENCES accounts (id),
    closed_at   TEXT NOT NULL,
    demo        INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    PRIMARY KEY (village_id, month)
);

-- Offences per village and month, kept current by the write paths (these triggers), so the
-- reports read a few hundred thousand tallies rather than a million offences.
CREATE TABLE offence_months (
    village_id  TEXT NOT NULL,
    month       TEXT NOT NULL,
    offences    INTEGER NOT NULL,
    PRIMARY KEY (village_id, month)
) WITHOUT ROWID;
CREATE TRIGGER offence_months_insert AFTER INSERT ON offences BEGIN
    INSERT INTO offence_months (village_id, month, offences)
        VALUES (NEW.village_id, substr(NEW.occurred_at, 1, 7), 1)
        ON CONFLICT (village_id, month) DO UPDATE SET offences = offences + 1;
END;
CREATE TRIGGER offence_months_delete AFTER DELETE ON offences BEGIN
    UPDATE offence_months SET offences = offences - 1
        WHERE village_id = OLD.village_id AND month = substr(OLD.occurred_at, 1, 7);
END;
CREATE TRIGGER offence_months_update AFTER UPDATE OF village_id, occurred_at ON offences BEGIN
    UPDATE offence_months SET offences = offences - 1
        WHERE village_id = OLD.village_id AND month = substr(OLD.occurred_at, 1, 7);
    INSERT INTO offence_months (village_id, month, offences)
        VALUES (NEW.village_id, substr(NEW.occurred_at, 1, 7), 1)
        ON CONFLICT (village_id, month) DO UPDATE SET offences = offences + 1;
END;
INSERT INTO offence_months (village_id, month, offences)
    SELECT village_id, substr(occurred_at, 1, 7), COUNT(*) FROM offences GROUP BY 1, 2;

-- Each link of a person to an offence carries the offence's day and village, kept by these
-- triggers, so the repeat rule reads the links of a date range without a lookup per link.
ALTER TABLE offence_persons ADD COLUMN occurred_at TEXT;
ALTER TABLE offence_persons ADD COLUMN village_id TEXT;
CREATE TRIGGER offence_persons_dated AFTER INSERT ON offence_persons BEGIN
    UPDATE offence_persons
        SET (occurred_at, village_id) = (SELECT occurred_at, village_id FROM offences WHERE id = NEW.offence_id)
        WHERE rowid = NEW.rowid;
END;
CREATE TRIGGER offence_persons_redated AFTER UPDATE OF occurred_at, village_id ON offences BEGIN
    UPDATE offence_persons SET occurred_at = NEW.occurred_at, village_id = NEW.village_id
        WHERE offence_id = NEW.id;
END;
UPDATE offence_persons
    SET (occurred_at, village_id) = (SELECT occurred_at, village_id FROM offences WHERE id = offence_persons.offence_id);
CREATE INDEX offence_persons_by_time ON offence_persons (occurred_at, person_id, offence_id, village_id);
CREATE INDEX offence_persons_by_village ON offence_persons (village_id, occurred_at, person_id);

-- The overview's offences by category over its 12 months read only this index.
CREATE INDEX offences_by_time ON offences (occurred_at, village_id, category, kind);

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

-- The reports count offences by month over a date range for all the villages in view.
CREATE INDEX offences_by_time ON offences (occurred_at, village_id);

-- Which history this database holds (DESIGN §4.9). Devices remember the epoch
-- of the server they sync with; a different one tells them the server may have lost what
-- they sent since its backup, so they send again what they still hold and pull from nothing.
-- `server backup` marks its copy (`copy = 1`): the first server to open a copy gives it an
-- epoch of its own, so a backup restored twice is still recognised the second time.
CREATE TABLE installation (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    epoch   TEXT NOT NULL,
    copy    INTEGER NOT NULL DEFAULT 0 CHECK (copy IN (0, 1))
);
INSERT INTO installation (id, epoch) VALUES (1, lower(hex(randomblob(16))));

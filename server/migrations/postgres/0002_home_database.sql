-- Where this installation's database lives (DESIGN §4.9): the cluster's system identifier
-- (random, made by initdb) and the database's oid. `pg_restore` always writes into a database
-- made for it, which has another oid, or sits in another cluster: a server that finds itself
-- elsewhere knows it runs on a restored copy and gives it a new epoch. NULL until a server
-- first starts (or `server migrate` fills the database).
ALTER TABLE installation ADD COLUMN home_database TEXT;

-- A device's row may point at its browser's row: `server migrate` copies the rows in any
-- order and has the reference checked at its commit.
ALTER TABLE devices ALTER CONSTRAINT devices_browser_id_fkey DEFERRABLE INITIALLY IMMEDIATE;

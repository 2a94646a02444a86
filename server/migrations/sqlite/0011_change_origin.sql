-- Issue 16: a pull no longer sends a device back the records it has just pushed. The push marks
-- the change row of each record it applied with the device's sync id (the answer carries the
-- record as stored); any later write replaces the row through the change triggers, which leave
-- the mark empty, so everyone else's changes still reach the device.
ALTER TABLE sync_changes ADD COLUMN origin_device TEXT;

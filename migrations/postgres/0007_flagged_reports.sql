-- Staff list flagged reports, newest first. Few reports carry a flag, so the index holds only
-- those: adding a plain report (the global day's hot path) no longer writes to an index on
-- (campaign_id, flags) that no query used. Kept in lockstep with the other backend's file.
DROP INDEX reports_campaign_flags;
CREATE INDEX reports_flagged ON reports(updated_at) WHERE flags <> '';

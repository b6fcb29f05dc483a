-- Stories: a report's highlights are its story; staff of the event's country may feature it,
-- and only featured stories of public, published events are shown on the campaign's stories
-- page. An edit that changes the highlights takes the feature away (staff chose the old words).
-- Kept in lockstep with ../sqlite/0021_stories.sql.

ALTER TABLE reports ADD COLUMN featured_at BIGINT;
CREATE INDEX reports_featured ON reports(campaign_id, featured_at) WHERE featured_at IS NOT NULL;

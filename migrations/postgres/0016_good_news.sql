-- Good news: an attendee may ask, on their RSVP, to hear what happens to the cases they write for
-- ("tell me what happens"; off unless ticked). A case update that staff send as good news is
-- mailed to them and to the hosts whose reports counted letters for the case, once per update
-- and address (the outbox's dedupe key `good-news:<update>:<address>`).
-- Kept in lockstep with ../sqlite/0016_good_news.sql.

ALTER TABLE rsvps ADD COLUMN notify_outcome INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_updates ADD COLUMN notified_at BIGINT;
CREATE INDEX report_items_case ON report_items(case_id, report_id);

-- The audit trail: who did what, when, to what, with the state before and after (JSON). Staff and
-- admin actions only. Rows name accounts by id, never by email, so erasing a person's data leaves
-- the trail intact and free of it. Append-only: the triggers below refuse changes and deletions.
-- Kept in lockstep with ../postgres/0013_audit.sql.

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id BIGINT REFERENCES accounts(id),
    action TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id BIGINT,
    campaign_id BIGINT REFERENCES campaigns(id),
    country TEXT,
    before_state TEXT,
    after_state TEXT
);
CREATE INDEX audit_log_campaign ON audit_log(campaign_id, id);
CREATE INDEX audit_log_country ON audit_log(country, id);
CREATE INDEX audit_log_subject ON audit_log(subject_type, subject_id, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

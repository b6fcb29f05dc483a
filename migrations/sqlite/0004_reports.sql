-- Report-back and the tally. Kept in lockstep with ../postgres/0004_reports.sql.

-- One report-back for an event; several may add up (a school over several days).
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events(id),
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    author_id BIGINT NOT NULL REFERENCES accounts(id),
    participants BIGINT NOT NULL,
    highlights TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    voided_at BIGINT,
    void_reason TEXT,
    -- Plausibility notes for staff (comma-separated ids), never a reason to refuse.
    flags TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX reports_event ON reports(event_id, id);
CREATE INDEX reports_campaign_flags ON reports(campaign_id, flags);

CREATE TABLE report_items (
    report_id BIGINT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    letters BIGINT NOT NULL,
    solidarity BIGINT NOT NULL,
    PRIMARY KEY (report_id, case_id)
);

-- Every change to a report: who, when, the counts before and after (JSON text), and why.
CREATE TABLE report_history (
    id INTEGER PRIMARY KEY,
    report_id BIGINT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    changed_by BIGINT NOT NULL REFERENCES accounts(id),
    changed_at BIGINT NOT NULL,
    action TEXT NOT NULL,
    before_counts TEXT,
    after_counts TEXT NOT NULL,
    reason TEXT
);
CREATE INDEX report_history_report ON report_history(report_id, version);

-- Running totals of an event's current reports.
CREATE TABLE event_totals (
    event_id BIGINT PRIMARY KEY REFERENCES events(id),
    reports BIGINT NOT NULL,
    letters BIGINT NOT NULL,
    solidarity BIGINT NOT NULL,
    participants BIGINT NOT NULL
);

-- The tally: sums of current reports per campaign and dimension (world, country, region, city,
-- case, kind), kept by increments in the reports' own transactions; `reconcile` recounts them.
CREATE TABLE tally_counters (
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    dimension TEXT NOT NULL,
    dim_key TEXT NOT NULL,
    letters BIGINT NOT NULL,
    solidarity BIGINT NOT NULL,
    participants BIGINT NOT NULL,
    events_reported BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, dimension, dim_key)
);

-- Online actions: anyone signs for a case on the web (name, email, country, optional message,
-- "tell me what happens"). An action counts only once its email is confirmed, once per email per
-- case (the unique key), and moves `tally_counters.online` (world, the signer's country, the
-- case) in the transaction that confirms it. Unconfirmed actions are deleted after 30 days.
-- Emails are lower-cased. `ip_net` is a keyed hash of the sender's /24 (IPv4) or /48 (IPv6), for
-- staff to see clusters without keeping the address; `disposable` marks a throwaway mail domain.
-- `invalidated_at`: staff took it out of the tally (a cluster judged fake); it stays a row, so a
-- bot that sends it again gets the same answer and nothing counts.

ALTER TABLE tally_counters ADD COLUMN online BIGINT NOT NULL DEFAULT 0;

CREATE TABLE online_actions (
    id INTEGER PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    case_id BIGINT NOT NULL REFERENCES cases(id),
    email TEXT NOT NULL,
    email_domain TEXT NOT NULL,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    message TEXT NOT NULL,
    updates INTEGER NOT NULL,
    language TEXT NOT NULL,
    disposable INTEGER NOT NULL,
    ip_net TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    invalidated_at BIGINT,
    invalidated_by BIGINT REFERENCES accounts(id),
    UNIQUE (case_id, email)
);
CREATE INDEX online_actions_email ON online_actions(email, campaign_id);
CREATE INDEX online_actions_case_confirmed ON online_actions(case_id, confirmed_at);
CREATE INDEX online_actions_pending ON online_actions(created_at) WHERE confirmed_at IS NULL;

-- A confirmation link, as the hash of its token: it confirms every pending action of its email in
-- its campaign made up to the moment it was sent ("act on all cases" is one link).
CREATE TABLE action_links (
    token_hash TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    created_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX action_links_created ON action_links(created_at);

-- When staff handed a case's list to its authority, how, and who did.
CREATE TABLE action_deliveries (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    delivered_on TEXT NOT NULL,
    method TEXT NOT NULL,
    note TEXT NOT NULL,
    actions BIGINT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES accounts(id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX action_deliveries_case ON action_deliveries(case_id, id);
-- Kept in lockstep with ../postgres/0018_online_actions.sql.

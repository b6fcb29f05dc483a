-- Accounts, sessions, API tokens, shared rate-limit windows, campaigns and cases.
-- Kept in lockstep with ../postgres/0001_spine.sql: same tables, columns and indexes.
-- Times are unix milliseconds (BIGINT), dates are 'YYYY-MM-DD' text, flags are 0/1 integers.

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT,
    role TEXT NOT NULL DEFAULT 'host' CHECK (role IN ('host', 'staff', 'admin')),
    staff_country TEXT,
    language TEXT NOT NULL DEFAULT 'en',
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_tokens_account ON api_tokens(account_id);

CREATE TABLE rate_limits (
    bucket TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (bucket, window_start)
);

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    global_day TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    report_deadline TEXT NOT NULL,
    goal BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE campaign_texts (
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    title TEXT NOT NULL,
    intro TEXT NOT NULL,
    PRIMARY KEY (campaign_id, language)
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'good_news', 'closed')),
    authority_name TEXT NOT NULL,
    authority_title TEXT NOT NULL,
    authority_address TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (campaign_id, slug)
);

CREATE TABLE case_texts (
    case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    summary TEXT NOT NULL,
    salutation TEXT NOT NULL,
    sample_letter TEXT NOT NULL,
    solidarity TEXT NOT NULL,
    PRIMARY KEY (case_id, language)
);

CREATE TABLE case_updates (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    happened_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'good_news', 'closed')),
    note TEXT NOT NULL,
    language TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX case_updates_case ON case_updates(case_id, happened_on);

-- A create request's first answer, replayed when the same Idempotency-Key comes again.
CREATE TABLE idempotency_keys (
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    location TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);

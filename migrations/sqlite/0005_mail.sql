-- The mail outbox: a message is queued in the transaction of the action that causes it and sent by
-- a worker (src/mail/worker.rs). The message is stored fully formatted, so a resend is identical
-- (same Message-ID).
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    -- At most one message per key, e.g. a reminder per (kind, event, recipient); NULL for one-offs.
    dedupe_key TEXT UNIQUE,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    message TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_by TEXT,
    claimed_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at, id);

-- Webhooks: an administrator subscribes a URL to some of the event types (`webhook_events`); a
-- change queues one delivery per subscribed, active webhook in its own transaction, and a worker
-- posts it, signed per Standard Webhooks, with retries (src/webhooks/). The signing secret must be
-- stored as it is (an HMAC needs it); `previous_secret` keeps signing for a day after a rotation.
-- Kept in lockstep with ../postgres/0017_webhooks.sql.

CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    secret TEXT NOT NULL,
    previous_secret TEXT,
    previous_secret_until BIGINT,
    active INTEGER NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES accounts(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE webhook_events (
    webhook_id BIGINT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    event_type TEXT NOT NULL,
    PRIMARY KEY (event_type, webhook_id)
);

CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    webhook_id BIGINT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    -- The `webhook-id` header: the same on every attempt, so receivers can drop a repeat.
    msg_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_by TEXT,
    claimed_until BIGINT,
    last_attempt_at BIGINT,
    -- The receiver's last answer: its status code and the start of its body; or why none came.
    last_status INTEGER,
    last_response TEXT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    delivered_at BIGINT,
    UNIQUE (webhook_id, msg_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at, id);
CREATE INDEX webhook_deliveries_of ON webhook_deliveries(webhook_id, id);

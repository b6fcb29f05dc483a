-- One-time links sent by mail, and who asked for no more reminders.
-- Kept in lockstep with the other backend's 0006_mail_links.sql.

-- Set when the owner followed a link sent to the address (sign-up confirmation or sign-in link).
ALTER TABLE accounts ADD COLUMN email_verified_at BIGINT;

-- Email confirmation, password reset and passwordless sign-in links: single use, expiring.
-- Only the token's SHA-256 is stored, like sessions.
CREATE TABLE account_links (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'reset', 'sign-in')),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX account_links_account ON account_links(account_id, purpose);
CREATE INDEX account_links_expires ON account_links(expires_at);

-- Further cancel links of an RSVP (sent on promotion and with the reminder), besides the first
-- one in rsvps.cancel_token_hash: each message carries its own, and every one of them works.
CREATE TABLE rsvp_links (
    token_hash TEXT PRIMARY KEY,
    rsvp_id BIGINT NOT NULL REFERENCES rsvps(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE INDEX rsvp_links_rsvp ON rsvp_links(rsvp_id);

-- Reminder recipients. The unsubscribe token is kept as it is (not hashed): it goes into every
-- reminder and grants nothing but turning reminders off for this one address.
CREATE TABLE mail_recipients (
    email TEXT PRIMARY KEY,
    unsubscribe_token TEXT NOT NULL UNIQUE,
    reminders_off_at BIGINT,
    created_at BIGINT NOT NULL
);

-- The reminder scheduler's look-ups: events starting soon (attendees), events of a campaign that
-- ended (hosts).
CREATE INDEX events_starting ON events(status, starts_at);
CREATE INDEX events_ended ON events(campaign_id, status, ends_at);

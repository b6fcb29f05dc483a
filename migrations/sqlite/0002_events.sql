-- Events, RSVPs, moderation flags, per-country safety mode and server-wide settings.
-- Kept in lockstep with ../postgres/0002_events.sql.

-- Server-wide values every process must agree on (e.g. the salt that coarsens private locations).
CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE country_settings (
    country TEXT PRIMARY KEY,
    safety_mode INTEGER NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    host_id BIGINT NOT NULL REFERENCES accounts(id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
    status TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'cancelled', 'unpublished')),
    moderation_reason TEXT,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    timezone TEXT NOT NULL,
    venue_name TEXT NOT NULL,
    address TEXT NOT NULL,
    city TEXT NOT NULL,
    region TEXT,
    country TEXT NOT NULL,
    -- Where the event really is: shown only to the host, staff and confirmed attendees
    -- when the event is private or at home.
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    -- What everyone else sees (coarsened for home and private events, and in safety mode).
    public_latitude DOUBLE PRECISION,
    public_longitude DOUBLE PRECISION,
    location_approximate INTEGER NOT NULL DEFAULT 0,
    capacity BIGINT,
    accessibility TEXT NOT NULL,
    step_free INTEGER NOT NULL DEFAULT 0,
    description TEXT NOT NULL,
    language TEXT NOT NULL,
    -- Folded title, venue and city, for the finder's text search on both backends.
    search_text TEXT NOT NULL,
    -- Bumped by every RSVP change: the write that serialises RSVPs of one event.
    rsvp_version BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX events_finder_place ON events(campaign_id, status, visibility, public_latitude, public_longitude);
CREATE INDEX events_finder_date ON events(campaign_id, status, visibility, starts_at, id);
CREATE INDEX events_host ON events(host_id, starts_at);

CREATE TABLE rsvps (
    id INTEGER PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    consent_contact INTEGER NOT NULL DEFAULT 0,
    language TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    cancel_token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (event_id, email)
);
CREATE INDEX rsvps_event_status ON rsvps(event_id, status, id);
CREATE INDEX rsvps_email ON rsvps(email);

-- "Report this event" from visitors, for staff to review.
CREATE TABLE event_flags (
    id INTEGER PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    resolved_at BIGINT
);
CREATE INDEX event_flags_open ON event_flags(resolved_at, created_at);

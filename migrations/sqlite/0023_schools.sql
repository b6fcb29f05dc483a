-- Schools: a school or university event may name its school (seen by its hosts and staff) and
-- choose to be listed, with its letters, on the campaign's public schools list by region.
-- Kept in lockstep with ../postgres/0023_schools.sql.

CREATE TABLE event_schools (
    event_id BIGINT PRIMARY KEY REFERENCES events(id),
    name TEXT NOT NULL,
    listed INTEGER NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

-- Photos of events: uploaded by the host or staff, shown to the public only once staff of the
-- event's country approve them, never when minors are pictured or the event is private. Only the
-- re-encoded sizes are kept, in the object store, under content-hashed keys; never the uploaded
-- file. `status`: pending, approved, rejected (with `reason`, which the host sees) or removed
-- (taken down after approval, also with a reason). Kept in lockstep with ../postgres/0014_photos.sql.
CREATE TABLE photos (
    id INTEGER PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events(id),
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    uploader_id BIGINT NOT NULL REFERENCES accounts(id),
    caption TEXT NOT NULL,
    -- The text read out instead of the picture: the caption until staff write a better one.
    alt TEXT NOT NULL,
    minors INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'removed')),
    reason TEXT,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    thumb_width BIGINT NOT NULL,
    thumb_height BIGINT NOT NULL,
    large_jpeg TEXT NOT NULL,
    large_webp TEXT NOT NULL,
    thumb_jpeg TEXT NOT NULL,
    thumb_webp TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    decided_by BIGINT REFERENCES accounts(id)
);
CREATE INDEX photos_campaign_status ON photos(campaign_id, status, id);
CREATE INDEX photos_event ON photos(event_id, id);
CREATE INDEX photos_uploader ON photos(uploader_id, campaign_id);

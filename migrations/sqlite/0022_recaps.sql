-- The recap: a campaign's story told from its data. Staff who manage campaigns write an
-- introduction per language, choose the country whose regions are mapped and the photos shown,
-- then publish; until then only staff see it. Kept in lockstep with ../postgres/0022_recaps.sql.

CREATE TABLE recaps (
    campaign_id BIGINT PRIMARY KEY REFERENCES campaigns(id),
    map_country TEXT NOT NULL DEFAULT '',
    -- A JSON array of photo ids, in the order chosen.
    photo_ids TEXT NOT NULL DEFAULT '[]',
    published_at BIGINT,
    updated_at BIGINT NOT NULL
);

CREATE TABLE recap_texts (
    campaign_id BIGINT NOT NULL REFERENCES recaps(campaign_id),
    language TEXT NOT NULL,
    introduction TEXT NOT NULL,
    PRIMARY KEY (campaign_id, language)
);

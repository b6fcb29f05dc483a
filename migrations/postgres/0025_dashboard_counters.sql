-- The staff dashboard reads its report numbers from the tally's counters rather than summing the
-- campaign's reports on every view: the current reports per place (a new column), and letters,
-- solidarity messages, participants and reports per day the reports came in, for the world
-- (`day`, key: days since 1970, UTC) and per country (`country-day`, key: "CA|20794").
-- Counted here once from the rows, as `reconcile` would; the reports' transactions move them
-- from now on.
ALTER TABLE tally_counters ADD COLUMN reports BIGINT NOT NULL DEFAULT 0;

CREATE TEMPORARY TABLE counted_reports AS
SELECT r.campaign_id, e.country, e.region, e.city, e.kind, r.participants,
       r.created_at / 86400000 AS day,
       COALESCE((SELECT SUM(i.letters) FROM report_items i WHERE i.report_id = r.id), 0) AS letters,
       COALESCE((SELECT SUM(i.solidarity) FROM report_items i WHERE i.report_id = r.id), 0) AS solidarity
FROM reports r JOIN events e ON e.id = r.event_id
WHERE r.voided_at IS NULL;

INSERT INTO tally_counters AS t (campaign_id, dimension, dim_key, letters, solidarity, participants, events_reported, online, reports)
SELECT campaign_id, 'world', '', 0, 0, 0, 0, 0, COUNT(*) FROM counted_reports WHERE true GROUP BY campaign_id
ON CONFLICT (campaign_id, dimension, dim_key) DO UPDATE SET reports = excluded.reports;
INSERT INTO tally_counters AS t (campaign_id, dimension, dim_key, letters, solidarity, participants, events_reported, online, reports)
SELECT campaign_id, 'country', country, 0, 0, 0, 0, 0, COUNT(*) FROM counted_reports WHERE true GROUP BY campaign_id, country
ON CONFLICT (campaign_id, dimension, dim_key) DO UPDATE SET reports = excluded.reports;
INSERT INTO tally_counters AS t (campaign_id, dimension, dim_key, letters, solidarity, participants, events_reported, online, reports)
SELECT campaign_id, 'region', region, 0, 0, 0, 0, 0, COUNT(*) FROM counted_reports WHERE region IS NOT NULL GROUP BY campaign_id, region
ON CONFLICT (campaign_id, dimension, dim_key) DO UPDATE SET reports = excluded.reports;
INSERT INTO tally_counters AS t (campaign_id, dimension, dim_key, letters, solidarity, participants, events_reported, online, reports)
SELECT campaign_id, 'kind', kind, 0, 0, 0, 0, 0, COUNT(*) FROM counted_reports WHERE true GROUP BY campaign_id, kind
ON CONFLICT (campaign_id, dimension, dim_key) DO UPDATE SET reports = excluded.reports;
INSERT INTO tally_counters AS t (campaign_id, dimension, dim_key, letters, solidarity, participants, events_reported, online, reports)
SELECT campaign_id, 'city', country || '|' || COALESCE(region, '') || '|' || city, 0, 0, 0, 0, 0, COUNT(*)
FROM counted_reports WHERE true GROUP BY campaign_id, country, region, city
ON CONFLICT (campaign_id, dimension, dim_key) DO UPDATE SET reports = excluded.reports;
INSERT INTO tally_counters (campaign_id, dimension, dim_key, letters, solidarity, participants, events_reported, online, reports)
SELECT campaign_id, 'day', CAST(day AS TEXT), CAST(SUM(letters) AS BIGINT), CAST(SUM(solidarity) AS BIGINT), CAST(SUM(participants) AS BIGINT), 0, 0, COUNT(*)
FROM counted_reports GROUP BY campaign_id, day;
INSERT INTO tally_counters (campaign_id, dimension, dim_key, letters, solidarity, participants, events_reported, online, reports)
SELECT campaign_id, 'country-day', country || '|' || CAST(day AS TEXT), CAST(SUM(letters) AS BIGINT), CAST(SUM(solidarity) AS BIGINT), CAST(SUM(participants) AS BIGINT), 0, 0, COUNT(*)
FROM counted_reports GROUP BY campaign_id, country, day;

DROP TABLE counted_reports;

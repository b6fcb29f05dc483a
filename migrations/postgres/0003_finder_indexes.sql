-- The finder's filters by country and by region (API), in date order. Without them a selective
-- filter walks the campaign's whole date index and reads each event to test it: with 100,000
-- events, ?kind=school&country=CA read 11,400 rows for 21 results (see BENCHMARKS.md, "Event
-- finder"). Kept in lockstep with ../sqlite/0003_finder_indexes.sql.
CREATE INDEX events_finder_country ON events(campaign_id, status, visibility, country, starts_at, id);
CREATE INDEX events_finder_region ON events(campaign_id, status, visibility, region, starts_at, id);

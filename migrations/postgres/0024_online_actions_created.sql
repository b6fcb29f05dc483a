-- The index of unconfirmed actions by age was partial (`WHERE confirmed_at IS NULL`). Before
-- PostgreSQL has gathered statistics on a new table — a first viral burst — its planner took
-- that index, as matching few rows, to drive the confirmation of a batch of links, and read
-- every unconfirmed action for each batch; the clean-up of old unconfirmed actions finds them
-- by age as well with a plain index, and the confirmations then go through the email index.
DROP INDEX online_actions_pending;
CREATE INDEX online_actions_created ON online_actions(created_at);

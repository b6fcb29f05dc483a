-- An account deleted at its owner's request stays as a nameless row (its reports still count,
-- its past events still happened): when it was deleted.
-- Kept in lockstep with ../sqlite/0010_deleted_accounts.sql.

ALTER TABLE accounts ADD COLUMN deleted_at BIGINT;

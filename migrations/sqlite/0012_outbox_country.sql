-- The country a message belongs to, so staff of one country see and resend only their country's
-- mail (/staff/mail): the country of the event it is about (RSVPs, changes, reminders, the host's
-- welcome), or the one a staff digest covers. NULL for mail about an account itself (links to
-- confirm, reset, sign in): only admins and staff of every country see those.
-- Kept in lockstep with the other backend's 0012_outbox_country.sql.
ALTER TABLE outbox ADD COLUMN country TEXT;
CREATE INDEX outbox_country ON outbox(country, status, id);

-- Messages queued before: the country their dedupe key names, where it names one. Others
-- (RSVP confirmations, changes) stay NULL, seen by staff of every country only.
-- SQLite's CAST reads the leading number of '12:ana@example.org'.
UPDATE outbox SET country = (SELECT e.country FROM events e
    WHERE e.id = CAST(substr(outbox.dedupe_key, instr(outbox.dedupe_key, ':') + 1) AS INTEGER))
WHERE dedupe_key LIKE 'host-registered:%' OR dedupe_key LIKE 'reminder-host-after:%'
   OR dedupe_key LIKE 'reminder-host-deadline:%' OR dedupe_key LIKE 'event-cancelled:%';
UPDATE outbox SET country = (SELECT e.country FROM rsvps r JOIN events e ON e.id = r.event_id
    WHERE r.id = CAST(substr(outbox.dedupe_key, instr(outbox.dedupe_key, ':') + 1) AS INTEGER))
WHERE dedupe_key LIKE 'reminder-attendee:%';
UPDATE outbox SET country = (SELECT a.staff_country FROM accounts a
    WHERE a.id = CAST(substr(outbox.dedupe_key, instr(outbox.dedupe_key, ':') + 1) AS INTEGER))
WHERE dedupe_key LIKE 'staff-digest:%';

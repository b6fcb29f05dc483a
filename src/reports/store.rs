//! Report queries, and the tally's counters moved by each report in its own transaction.
//!
//! Counters are only ever changed by `counter + delta` in SQL (never read-modify-write in the
//! application), so concurrent writers on PostgreSQL cannot lose an update, and a batch of many
//! reports adds up its deltas per counter before writing them.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;
use sqlx::Row;

use super::ReportInput;
use crate::db::{Backend, Db, Tx, json_rows_param, now_ms};
use crate::error::{Error, Result};
use crate::events::Event;
use crate::web::idempotency::{Idempotency, StoredResponse};

/// How one change moves one counter.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Delta {
    pub letters: i64,
    pub solidarity: i64,
    pub participants: i64,
    pub events_reported: i64,
}

impl Delta {
    fn add(&mut self, o: Delta) {
        self.letters += o.letters;
        self.solidarity += o.solidarity;
        self.participants += o.participants;
        self.events_reported += o.events_reported;
    }

    fn is_zero(&self) -> bool {
        *self == Delta::default()
    }
}

/// Counter keys: (campaign, dimension, key).
pub type CounterKey = (i64, &'static str, String);

/// The place and kind dimensions an event counts in (cases are added per item).
pub fn event_dimensions(event: &Event) -> Vec<(&'static str, String)> {
    let mut dims = vec![
        ("world", String::new()),
        ("country", event.country.clone()),
        (
            "city",
            city_key(&event.country, event.region.as_deref(), &event.city),
        ),
        ("kind", event.kind.clone()),
    ];
    if let Some(region) = &event.region {
        dims.push(("region", region.clone()));
    }
    dims
}

pub fn city_key(country: &str, region: Option<&str>, city: &str) -> String {
    format!("{country}|{}|{city}", region.unwrap_or(""))
}

/// Accumulates counter deltas for a set of report changes.
#[derive(Default)]
pub struct Deltas(pub BTreeMap<CounterKey, Delta>);

impl Deltas {
    /// A report's counts entering (`sign` 1) or leaving (`sign` -1) the tally.
    pub fn report(&mut self, event: &Event, input: &ReportInput, sign: i64) {
        let total = Delta {
            letters: sign * input.letters(),
            solidarity: sign * input.solidarity(),
            participants: sign * input.participants,
            events_reported: 0,
        };
        for (dim, key) in event_dimensions(event) {
            self.0
                .entry((event.campaign_id, dim, key))
                .or_default()
                .add(total);
        }
        for (case_id, letters, solidarity) in &input.items {
            let d = Delta {
                letters: sign * letters,
                solidarity: sign * solidarity,
                ..Default::default()
            };
            self.0
                .entry((event.campaign_id, "case", case_id.to_string()))
                .or_default()
                .add(d);
        }
    }

    /// The event gained its first report (1) or lost its last (-1).
    pub fn event_reported(&mut self, event: &Event, change: i64) {
        for (dim, key) in event_dimensions(event) {
            self.0
                .entry((event.campaign_id, dim, key))
                .or_default()
                .add(Delta {
                    events_reported: change,
                    ..Default::default()
                });
        }
    }

    /// Writes the deltas: one upsert for every key, `counter + delta`.
    pub async fn apply(&self, backend: Backend, tx: &mut Tx) -> Result<(), sqlx::Error> {
        // In key order (the map's), so concurrent writers on PostgreSQL lock rows in one order.
        let rows: Vec<_> = self
            .0
            .iter()
            .filter(|(_, d)| !d.is_zero())
            .map(|((campaign_id, dimension, key), d)| {
                let d = (d.letters, d.solidarity, d.participants, d.events_reported);
                (campaign_id, dimension, key, d.0, d.1, d.2, d.3)
            })
            .collect();
        if rows.is_empty() {
            return Ok(());
        }
        // `WHERE true`: SQLite needs it to tell an upsert's ON CONFLICT from a join's ON.
        let sql = format!(
            "INSERT INTO tally_counters AS t (campaign_id, dimension, dim_key, letters, solidarity, participants, events_reported) \
             SELECT CAST(value ->> 0 AS BIGINT), value ->> 1, value ->> 2, CAST(value ->> 3 AS BIGINT), \
             CAST(value ->> 4 AS BIGINT), CAST(value ->> 5 AS BIGINT), CAST(value ->> 6 AS BIGINT) FROM {} WHERE true \
             ON CONFLICT (campaign_id, dimension, dim_key) DO UPDATE SET \
             letters = t.letters + excluded.letters, solidarity = t.solidarity + excluded.solidarity, \
             participants = t.participants + excluded.participants, events_reported = t.events_reported + excluded.events_reported",
            backend.json_rows(1)
        );
        sqlx::query(&sql)
            .bind(json_rows_param(&rows))
            .execute(&mut **tx)
            .await?;
        Ok(())
    }
}

/// An event's running totals.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq)]
pub struct EventTotals {
    pub reports: i64,
    pub letters: i64,
    pub solidarity: i64,
    pub participants: i64,
}

/// Adds to an event's totals; returns the totals after the change.
pub async fn move_event_totals(
    tx: &mut Tx,
    event_id: i64,
    d: EventTotals,
) -> Result<EventTotals, sqlx::Error> {
    let row = sqlx::query(
        "INSERT INTO event_totals AS t (event_id, reports, letters, solidarity, participants) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (event_id) DO UPDATE SET reports = t.reports + excluded.reports, letters = t.letters + excluded.letters, \
         solidarity = t.solidarity + excluded.solidarity, participants = t.participants + excluded.participants \
         RETURNING reports, letters, solidarity, participants",
    )
    .bind(event_id)
    .bind(d.reports)
    .bind(d.letters)
    .bind(d.solidarity)
    .bind(d.participants)
    .fetch_one(&mut **tx)
    .await?;
    Ok(EventTotals {
        reports: row.try_get("reports")?,
        letters: row.try_get("letters")?,
        solidarity: row.try_get("solidarity")?,
        participants: row.try_get("participants")?,
    })
}

pub async fn event_totals(db: &Db, event_id: i64) -> Result<EventTotals, sqlx::Error> {
    let row = sqlx::query(
        "SELECT reports, letters, solidarity, participants FROM event_totals WHERE event_id = $1",
    )
    .bind(event_id)
    .fetch_optional(&db.pool)
    .await?;
    match row {
        Some(r) => Ok(EventTotals {
            reports: r.try_get("reports")?,
            letters: r.try_get("letters")?,
            solidarity: r.try_get("solidarity")?,
            participants: r.try_get("participants")?,
        }),
        None => Ok(EventTotals::default()),
    }
}

/// A stored report.
#[derive(Clone, Debug)]
pub struct Report {
    pub id: i64,
    pub event_id: i64,
    pub campaign_id: i64,
    pub author_id: i64,
    pub input: ReportInput,
    pub version: i64,
    pub voided: bool,
    pub void_reason: Option<String>,
    pub flags: String,
    pub created_at: i64,
    pub updated_at: i64,
}

async fn items_of<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    ex: E,
    report_id: i64,
) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    let rows = sqlx::query("SELECT case_id, letters, solidarity FROM report_items WHERE report_id = $1 ORDER BY case_id")
        .bind(report_id)
        .fetch_all(ex)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect()
}

const REPORT_COLUMNS: &str = "id, event_id, campaign_id, author_id, participants, highlights, version, voided_at, void_reason, flags, created_at, updated_at";

fn report_from_row(
    r: &sqlx::any::AnyRow,
    items: Vec<(i64, i64, i64)>,
) -> Result<Report, sqlx::Error> {
    let voided: Option<i64> = r.try_get("voided_at")?;
    Ok(Report {
        id: r.try_get("id")?,
        event_id: r.try_get("event_id")?,
        campaign_id: r.try_get("campaign_id")?,
        author_id: r.try_get("author_id")?,
        input: ReportInput {
            participants: r.try_get("participants")?,
            items,
            highlights: r.try_get("highlights")?,
        },
        version: r.try_get("version")?,
        voided: voided.is_some(),
        void_reason: r.try_get("void_reason")?,
        flags: r.try_get("flags")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Report>, sqlx::Error> {
    let sql = format!("SELECT {REPORT_COLUMNS} FROM reports WHERE id = $1");
    let Some(row) = sqlx::query(&sql).bind(id).fetch_optional(&db.pool).await? else {
        return Ok(None);
    };
    let items = items_of(&db.pool, id).await?;
    Ok(Some(report_from_row(&row, items)?))
}

pub async fn of_event(db: &Db, event_id: i64) -> Result<Vec<Report>, sqlx::Error> {
    let sql = format!("SELECT {REPORT_COLUMNS} FROM reports WHERE event_id = $1 ORDER BY id");
    let rows = sqlx::query(&sql).bind(event_id).fetch_all(&db.pool).await?;
    let mut out = Vec::new();
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        out.push(report_from_row(r, items_of(&db.pool, id).await?)?);
    }
    Ok(out)
}

/// One line of a report's history.
pub struct HistoryLine {
    pub version: i64,
    pub changed_by: String,
    pub changed_at: i64,
    pub action: String,
    pub before: Option<ReportInput>,
    pub after: ReportInput,
    pub reason: Option<String>,
}

pub async fn history(db: &Db, report_id: i64) -> Result<Vec<HistoryLine>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT h.version, a.display_name, h.changed_at, h.action, h.before_counts, h.after_counts, h.reason \
         FROM report_history h JOIN accounts a ON a.id = h.changed_by WHERE h.report_id = $1 ORDER BY h.version",
    )
    .bind(report_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let before: Option<String> = r.try_get("before_counts")?;
            let after: String = r.try_get("after_counts")?;
            Ok(HistoryLine {
                version: r.try_get("version")?,
                changed_by: r.try_get("display_name")?,
                changed_at: r.try_get("changed_at")?,
                action: r.try_get("action")?,
                before: before.and_then(|b| serde_json::from_str(&b).ok()),
                after: serde_json::from_str(&after).unwrap_or(ReportInput {
                    participants: 0,
                    items: vec![],
                    highlights: String::new(),
                }),
                reason: r.try_get("reason")?,
            })
        })
        .collect()
}

/// One line of history to write.
struct Change<'a> {
    report_id: i64,
    version: i64,
    by: i64,
    action: &'a str,
    before: Option<&'a ReportInput>,
    after: &'a ReportInput,
    reason: Option<&'a str>,
}

async fn record_history(tx: &mut Tx, c: Change<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO report_history (report_id, version, changed_by, changed_at, action, before_counts, after_counts, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(c.report_id)
    .bind(c.version)
    .bind(c.by)
    .bind(now_ms())
    .bind(c.action)
    .bind(c.before.map(|b| serde_json::to_string(b).unwrap_or_default()))
    .bind(serde_json::to_string(c.after).unwrap_or_default())
    .bind(c.reason)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn insert_items(
    tx: &mut Tx,
    report_id: i64,
    items: &[(i64, i64, i64)],
) -> Result<(), sqlx::Error> {
    if items.is_empty() {
        return Ok(());
    }
    // One statement for all items: numbers we checked, bound as parameters.
    let values: Vec<String> = (0..items.len())
        .map(|i| format!("($1, ${}, ${}, ${})", 2 + i * 3, 3 + i * 3, 4 + i * 3))
        .collect();
    let sql = format!(
        "INSERT INTO report_items (report_id, case_id, letters, solidarity) VALUES {}",
        values.join(", ")
    );
    let mut q = sqlx::query(&sql).bind(report_id);
    for (case_id, letters, solidarity) in items {
        q = q.bind(case_id).bind(letters).bind(solidarity);
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

/// Replaces a report's counts (an edit by its host or a correction by staff), moving the tally
/// by exactly the difference. Returns the event's totals after it.
pub async fn replace(
    db: &Db,
    report: &Report,
    event: &Event,
    by: i64,
    input: &ReportInput,
    reason: Option<&str>,
) -> Result<EventTotals> {
    let mut tx = db.begin_write().await?;
    // Re-read under the write lock: the version guards against a concurrent edit.
    let current = locked(&mut tx, report.id).await?;
    if current.voided {
        return Err(Error::Conflict(crate::web::forms::Msg::new(
            "report-voided",
        )));
    }
    let flags = super::plausibility(input, Some(&current.input));
    let version = current.version + 1;
    sqlx::query("UPDATE reports SET participants = $1, highlights = $2, version = $3, flags = $4, updated_at = $5 WHERE id = $6")
        .bind(input.participants)
        .bind(&input.highlights)
        .bind(version)
        .bind(&flags)
        .bind(now_ms())
        .bind(report.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM report_items WHERE report_id = $1")
        .bind(report.id)
        .execute(&mut *tx)
        .await?;
    insert_items(&mut tx, report.id, &input.items).await?;
    record_history(
        &mut tx,
        Change {
            report_id: report.id,
            version,
            by,
            action: "edited",
            before: Some(&current.input),
            after: input,
            reason,
        },
    )
    .await?;
    // Event totals before counters, as the committer and `void` take them: on PostgreSQL,
    // transactions that lock rows in one order wait for each other instead of deadlocking.
    let totals = move_event_totals(
        &mut tx,
        event.id,
        EventTotals {
            reports: 0,
            letters: input.letters() - current.input.letters(),
            solidarity: input.solidarity() - current.input.solidarity(),
            participants: input.participants - current.input.participants,
        },
    )
    .await?;
    let mut deltas = Deltas::default();
    deltas.report(event, &current.input, -1);
    deltas.report(event, input, 1);
    deltas.apply(db.backend, &mut tx).await?;
    tx.commit().await?;
    Ok(totals)
}

/// Takes a report out of the tally (staff, with a reason); kept with its history.
pub async fn void(
    db: &Db,
    report: &Report,
    event: &Event,
    by: i64,
    reason: &str,
) -> Result<EventTotals> {
    let mut tx = db.begin_write().await?;
    let current = locked(&mut tx, report.id).await?;
    if current.voided {
        return Err(Error::Conflict(crate::web::forms::Msg::new(
            "report-voided",
        )));
    }
    let version = current.version + 1;
    sqlx::query("UPDATE reports SET voided_at = $1, void_reason = $2, version = $3, updated_at = $1 WHERE id = $4")
        .bind(now_ms())
        .bind(reason)
        .bind(version)
        .bind(report.id)
        .execute(&mut *tx)
        .await?;
    record_history(
        &mut tx,
        Change {
            report_id: report.id,
            version,
            by,
            action: "voided",
            before: Some(&current.input),
            after: &current.input,
            reason: Some(reason),
        },
    )
    .await?;
    let totals = move_event_totals(
        &mut tx,
        event.id,
        EventTotals {
            reports: -1,
            letters: -current.input.letters(),
            solidarity: -current.input.solidarity(),
            participants: -current.input.participants,
        },
    )
    .await?;
    let mut deltas = Deltas::default();
    deltas.report(event, &current.input, -1);
    if totals.reports == 0 {
        deltas.event_reported(event, -1);
    }
    deltas.apply(db.backend, &mut tx).await?;
    tx.commit().await?;
    Ok(totals)
}

/// The report as it is inside a write transaction (bumping nothing yet).
async fn locked(tx: &mut Tx, id: i64) -> Result<Report> {
    // A no-op write takes the row lock on PostgreSQL before we read.
    sqlx::query("UPDATE reports SET version = version WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let sql = format!("SELECT {REPORT_COLUMNS} FROM reports WHERE id = $1");
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(Error::NotFound)?;
    let items = items_of(&mut **tx, id).await?;
    Ok(report_from_row(&row, items)?)
}

/// A new report waiting to be committed, already checked.
pub struct NewReport {
    pub event: Event,
    pub author_id: i64,
    pub input: ReportInput,
    pub flags: String,
    pub idempotency: Option<crate::web::idempotency::Idempotency>,
    /// Case id → slug, to write the answer.
    pub case_slugs: Arc<HashMap<i64, String>>,
    pub base_url: String,
}

/// What became of one report of a batch.
pub type Outcome = Result<StoredResponse>;

/// Adds new reports in one transaction, a few multi-row statements for the whole batch: the
/// events re-read under the write lock, the idempotency keys claimed, the reports with their
/// items and history lines, the event totals and the summed counter deltas, the stored answers.
///
/// Returns each report's outcome, in order: its answer, a replayed answer, or its own refusal (a
/// reused key, an event no longer open) that leaves the others alone. `Err` means nothing was
/// committed: the transaction failed as a whole.
pub async fn add_new(db: &Db, batch: &[NewReport]) -> Result<Vec<Outcome>> {
    let mut tx = db.begin_write().await?;
    let mut outcomes: Vec<Option<Outcome>> = (0..batch.len()).map(|_| None).collect();

    // The events as they are now: a host's edit or a cancellation may have come after the
    // handler read them, and the counters must go to the event's current place and kind.
    let events = current_events(db.backend, &mut tx, batch).await?;
    let mut live: Vec<usize> = Vec::with_capacity(batch.len());
    for (i, new) in batch.iter().enumerate() {
        match events.get(&new.event.id) {
            Some(e)
                if e.status == crate::events::EventStatus::Published
                    && e.campaign_id == new.event.campaign_id =>
            {
                live.push(i)
            }
            _ => outcomes[i] = Some(Err(super::closed())),
        }
    }

    // Idempotency keys: replays and reused keys are answered without writing.
    let keyed: Vec<usize> = live
        .iter()
        .copied()
        .filter(|&i| batch[i].idempotency.is_some())
        .collect();
    let keys: Vec<_> = keyed
        .iter()
        .filter_map(|&i| batch[i].idempotency.as_ref())
        .collect();
    let claims = Idempotency::claim_many(db.backend, &mut tx, &keys).await?;
    for (&i, claim) in keyed.iter().zip(claims) {
        if let Some(done) = claim {
            outcomes[i] = Some(done);
        }
    }
    let fresh: Vec<usize> = live
        .into_iter()
        .filter(|&i| outcomes[i].is_none())
        .collect();

    let now = now_ms();
    let backend = db.backend;
    let ids = insert_reports(backend, &mut tx, batch, &fresh, now).await?;

    let items: Vec<(i64, i64, i64, i64)> = fresh
        .iter()
        .zip(&ids)
        .flat_map(|(&i, &id)| {
            batch[i]
                .input
                .items
                .iter()
                .map(move |&(case, letters, solidarity)| (id, case, letters, solidarity))
        })
        .collect();
    if !items.is_empty() {
        let sql = format!(
            "INSERT INTO report_items (report_id, case_id, letters, solidarity) \
             SELECT CAST(value ->> 0 AS BIGINT), CAST(value ->> 1 AS BIGINT), CAST(value ->> 2 AS BIGINT), \
             CAST(value ->> 3 AS BIGINT) FROM {}",
            backend.json_rows(1)
        );
        sqlx::query(&sql)
            .bind(json_rows_param(&items))
            .execute(&mut *tx)
            .await?;
    }

    let history: Vec<(i64, i64, i64, String)> = fresh
        .iter()
        .zip(&ids)
        .map(|(&i, &id)| {
            let after = serde_json::to_string(&batch[i].input).unwrap_or_default();
            (id, batch[i].author_id, now, after)
        })
        .collect();
    if !history.is_empty() {
        let sql = format!(
            "INSERT INTO report_history (report_id, version, changed_by, changed_at, action, before_counts, after_counts, reason) \
             SELECT CAST(value ->> 0 AS BIGINT), 1, CAST(value ->> 1 AS BIGINT), CAST(value ->> 2 AS BIGINT), 'created', \
             NULL, value ->> 3, NULL FROM {}",
            backend.json_rows(1)
        );
        sqlx::query(&sql)
            .bind(json_rows_param(&history))
            .execute(&mut *tx)
            .await?;
    }

    // Totals and counters, summed over the batch: one row per event and per counter key.
    let mut deltas = Deltas::default();
    let mut per_event: BTreeMap<i64, EventTotals> = BTreeMap::new();
    for &i in &fresh {
        let new = &batch[i];
        let event = &events[&new.event.id];
        deltas.report(event, &new.input, 1);
        let t = per_event.entry(event.id).or_default();
        t.reports += 1;
        t.letters += new.input.letters();
        t.solidarity += new.input.solidarity();
        t.participants += new.input.participants;
    }
    let totals_after = move_many_event_totals(backend, &mut tx, &per_event).await?;
    for (event_id, d) in &per_event {
        if totals_after
            .get(event_id)
            .is_some_and(|a| a.reports == d.reports)
        {
            // Its first reports: the event now counts as reported.
            deltas.event_reported(&events[event_id], 1);
        }
    }
    deltas.apply(db.backend, &mut tx).await?;

    let mut done = Vec::with_capacity(fresh.len());
    for (&i, &id) in fresh.iter().zip(&ids) {
        let new = &batch[i];
        let body = CreatedAnswer {
            report: ReportJson::new(id, new.event.id, &new.input, 1, false, &new.case_slugs),
            event_totals: totals_after.get(&new.event.id).copied().unwrap_or_default(),
        };
        done.push((
            i,
            StoredResponse::created(format!("/api/v1/reports/{id}"), &body),
        ));
    }
    let answers: Vec<_> = done
        .iter()
        .filter_map(|(i, stored)| batch[*i].idempotency.as_ref().map(|k| (k, stored)))
        .collect();
    Idempotency::complete_many(db.backend, &mut tx, &answers).await?;
    tx.commit().await?;
    for (i, stored) in done {
        outcomes[i] = Some(Ok(stored));
    }
    Ok(outcomes
        .into_iter()
        .map(|o| o.expect("every report has an outcome"))
        .collect())
}

/// The batch's events, read inside its transaction.
async fn current_events(
    backend: Backend,
    tx: &mut Tx,
    batch: &[NewReport],
) -> Result<HashMap<i64, Event>> {
    let ids: std::collections::BTreeSet<i64> = batch.iter().map(|n| n.event.id).collect();
    let ids: Vec<(i64,)> = ids.into_iter().map(|id| (id,)).collect();
    let sql = format!(
        "SELECT {} FROM events e WHERE e.id IN (SELECT CAST(value ->> 0 AS BIGINT) FROM {})",
        crate::events::store::COLUMNS,
        backend.json_rows(1)
    );
    let rows = sqlx::query(&sql)
        .bind(json_rows_param(&ids))
        .fetch_all(&mut **tx)
        .await?;
    let mut out = HashMap::with_capacity(rows.len());
    for row in rows {
        let event = crate::events::store::from_row(&row)?;
        out.insert(event.id, event);
    }
    Ok(out)
}

/// Inserts the reports at `which` (indexes into `batch`); returns their ids in that order.
async fn insert_reports(
    backend: Backend,
    tx: &mut Tx,
    batch: &[NewReport],
    which: &[usize],
    now: i64,
) -> Result<Vec<i64>> {
    if which.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<_> = which
        .iter()
        .map(|&i| {
            let new = &batch[i];
            (
                new.event.id,
                new.event.campaign_id,
                new.author_id,
                new.input.participants,
                new.input.highlights.as_str(),
                new.flags.as_str(),
                now,
            )
        })
        .collect();
    let sql = format!(
        "INSERT INTO reports (event_id, campaign_id, author_id, participants, highlights, flags, created_at, updated_at) \
         SELECT CAST(value ->> 0 AS BIGINT), CAST(value ->> 1 AS BIGINT), CAST(value ->> 2 AS BIGINT), \
         CAST(value ->> 3 AS BIGINT), value ->> 4, value ->> 5, CAST(value ->> 6 AS BIGINT), CAST(value ->> 6 AS BIGINT) \
         FROM {} RETURNING id, event_id, author_id, participants",
        backend.json_rows(1)
    );
    let mut returned: Vec<(i64, i64, i64, i64)> = sqlx::query(&sql)
        .bind(json_rows_param(&rows))
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
        .collect::<Result<_, sqlx::Error>>()?;
    // Neither backend promises RETURNING's order, but both insert the selected rows in order
    // and hand out rising ids: sorted ids line up with the rows. Checked, so a surprise fails the
    // batch (and its reports are then committed one by one) instead of mixing answers up.
    returned.sort_unstable();
    let lined_up = returned.len() == which.len()
        && returned.iter().zip(which).all(|(r, &i)| {
            let new = &batch[i];
            (r.1, r.2, r.3) == (new.event.id, new.author_id, new.input.participants)
        });
    if !lined_up {
        return Err(Error::Internal(anyhow::anyhow!(
            "the ids of a multi-row insert did not line up with its rows"
        )));
    }
    Ok(returned.iter().map(|r| r.0).collect())
}

/// Adds to many events' totals in one statement; returns each event's totals after.
async fn move_many_event_totals(
    backend: Backend,
    tx: &mut Tx,
    deltas: &BTreeMap<i64, EventTotals>,
) -> Result<HashMap<i64, EventTotals>, sqlx::Error> {
    let mut out = HashMap::with_capacity(deltas.len());
    if deltas.is_empty() {
        return Ok(out);
    }
    // In event order (the map's): concurrent batches on PostgreSQL lock rows in one order.
    let rows: Vec<_> = deltas
        .iter()
        .map(|(id, d)| (id, d.reports, d.letters, d.solidarity, d.participants))
        .collect();
    let sql = format!(
        "INSERT INTO event_totals AS t (event_id, reports, letters, solidarity, participants) \
         SELECT CAST(value ->> 0 AS BIGINT), CAST(value ->> 1 AS BIGINT), CAST(value ->> 2 AS BIGINT), \
         CAST(value ->> 3 AS BIGINT), CAST(value ->> 4 AS BIGINT) FROM {} WHERE true \
         ON CONFLICT (event_id) DO UPDATE SET reports = t.reports + excluded.reports, letters = t.letters + excluded.letters, \
         solidarity = t.solidarity + excluded.solidarity, participants = t.participants + excluded.participants \
         RETURNING event_id, reports, letters, solidarity, participants",
        backend.json_rows(1)
    );
    let returned = sqlx::query(&sql)
        .bind(json_rows_param(&rows))
        .fetch_all(&mut **tx)
        .await?;
    for r in returned {
        out.insert(
            r.try_get("event_id")?,
            EventTotals {
                reports: r.try_get("reports")?,
                letters: r.try_get("letters")?,
                solidarity: r.try_get("solidarity")?,
                participants: r.try_get("participants")?,
            },
        );
    }
    Ok(out)
}

#[derive(Serialize)]
pub struct CreatedAnswer {
    pub report: ReportJson,
    pub event_totals: EventTotals,
}

#[derive(Serialize)]
pub struct ItemJson {
    pub case: String,
    pub letters: i64,
    pub solidarity: i64,
}

#[derive(Serialize)]
pub struct ReportJson {
    pub id: i64,
    pub event_id: i64,
    pub participants: i64,
    pub items: Vec<ItemJson>,
    pub highlights: String,
    pub version: i64,
    pub voided: bool,
}

impl ReportJson {
    pub fn new(
        id: i64,
        event_id: i64,
        input: &ReportInput,
        version: i64,
        voided: bool,
        slugs: &HashMap<i64, String>,
    ) -> ReportJson {
        ReportJson {
            id,
            event_id,
            participants: input.participants,
            items: input
                .items
                .iter()
                .map(|(case, letters, solidarity)| ItemJson {
                    case: slugs.get(case).cloned().unwrap_or_else(|| case.to_string()),
                    letters: *letters,
                    solidarity: *solidarity,
                })
                .collect(),
            highlights: input.highlights.clone(),
            version,
            voided,
        }
    }

    pub fn of(report: &Report, slugs: &HashMap<i64, String>) -> ReportJson {
        ReportJson::new(
            report.id,
            report.event_id,
            &report.input,
            report.version,
            report.voided,
            slugs,
        )
    }
}

//! Report queries, and the tally's counters moved by each report in its own transaction.
//!
//! Counters are only ever changed by `counter + delta` in SQL (never read-modify-write in the
//! application), so concurrent writers on PostgreSQL cannot lose an update, and a batch of many
//! reports adds up its deltas per counter before writing them.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use sqlx::{AnyConnection, Row};

use super::ReportInput;
use crate::db::{Backend, Db, Tx, json_rows_param};
use crate::error::{Error, Result};
use crate::events::store::EventTotals;
use crate::events::{Event, EventStatus};
use crate::tally::build::city_key;

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

/// Where an event's reports count in the tally: its campaign, kind and place. The committer
/// reads just these columns of a batch's events (not the whole event, with its description).
#[derive(Clone, Debug)]
pub struct Place {
    pub event_id: i64,
    pub campaign_id: i64,
    pub status: EventStatus,
    pub kind: String,
    pub country: String,
    pub region: Option<String>,
    pub city: String,
}

impl Place {
    /// The columns [`Place::decode_all`] reads, of `events e`, aggregated with
    /// `Backend::json_agg` (one row out, however many events).
    pub const COLUMNS: &'static str =
        "e.id, e.campaign_id, e.status, e.kind, e.country, e.region, e.city";

    pub fn of(event: &Event) -> Place {
        Place {
            event_id: event.id,
            campaign_id: event.campaign_id,
            status: event.status,
            kind: event.kind.as_str().to_string(),
            country: event.country.clone(),
            region: event.region.clone(),
            city: event.city.clone(),
        }
    }

    /// Places from `json_agg(Place::COLUMNS)`.
    pub fn decode_all(json: &str) -> Result<Vec<Place>, sqlx::Error> {
        type Columns = (i64, i64, String, String, String, Option<String>, String);
        let rows: Vec<Columns> =
            serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(e.into()))?;
        Ok(rows
            .into_iter()
            .map(
                |(event_id, campaign_id, status, kind, country, region, city)| Place {
                    event_id,
                    campaign_id,
                    status: EventStatus::parse(&status),
                    kind,
                    country,
                    region,
                    city,
                },
            )
            .collect())
    }

    /// The place and kind dimensions it counts in (cases are added per item).
    fn dimensions(&self) -> Vec<(&'static str, String)> {
        let mut dims = vec![
            ("world", String::new()),
            ("country", self.country.clone()),
            (
                "city",
                city_key(&self.country, self.region.as_deref(), &self.city),
            ),
            ("kind", self.kind.clone()),
        ];
        if let Some(region) = &self.region {
            dims.push(("region", region.clone()));
        }
        dims
    }
}

/// Accumulates counter deltas for a set of report changes.
#[derive(Default)]
pub struct Deltas(pub BTreeMap<CounterKey, Delta>);

impl Deltas {
    /// A report's counts entering (`sign` 1) or leaving (`sign` -1) the tally.
    pub fn report(&mut self, place: &Place, input: &ReportInput, sign: i64) {
        let total = Delta {
            letters: sign * input.letters(),
            solidarity: sign * input.solidarity(),
            participants: sign * input.participants,
            events_reported: 0,
        };
        for (dim, key) in place.dimensions() {
            self.0
                .entry((place.campaign_id, dim, key))
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
                .entry((place.campaign_id, "case", case_id.to_string()))
                .or_default()
                .add(d);
        }
    }

    /// The event gained its first report (1) or lost its last (-1).
    pub fn event_reported(&mut self, place: &Place, change: i64) {
        for (dim, key) in place.dimensions() {
            self.0
                .entry((place.campaign_id, dim, key))
                .or_default()
                .add(Delta {
                    events_reported: change,
                    ..Default::default()
                });
        }
    }

    /// Writes the deltas: one upsert for every key, `counter + delta`.
    pub async fn apply(
        &self,
        backend: Backend,
        conn: &mut AnyConnection,
    ) -> Result<(), sqlx::Error> {
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
            .execute(conn)
            .await?;
        Ok(())
    }
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

/// A report's history, oldest first. Its first line, "created", is not stored: it is the report
/// row itself (author, time) with the counts the first stored change found ("before"), or the
/// current counts when nothing changed since. Writing it with every new report was one of the
/// five rows a typical report adds on the global day's hot path (BENCHMARKS.md, report ingest).
pub async fn history(db: &Db, report: &Report) -> Result<Vec<HistoryLine>, sqlx::Error> {
    let author: String = sqlx::query_scalar("SELECT display_name FROM accounts WHERE id = $1")
        .bind(report.author_id)
        .fetch_one(&db.pool)
        .await?;
    let rows = sqlx::query(
        "SELECT h.version, a.display_name, h.changed_at, h.action, h.before_counts, h.after_counts, h.reason \
         FROM report_history h JOIN accounts a ON a.id = h.changed_by WHERE h.report_id = $1 ORDER BY h.version",
    )
    .bind(report.id)
    .fetch_all(&db.pool)
    .await?;
    let counts = |json: &str| serde_json::from_str::<ReportInput>(json).ok();
    let mut changes = rows
        .iter()
        .map(|r| {
            let before: Option<String> = r.try_get("before_counts")?;
            let after: String = r.try_get("after_counts")?;
            Ok(HistoryLine {
                version: r.try_get("version")?,
                changed_by: r.try_get("display_name")?,
                changed_at: r.try_get("changed_at")?,
                action: r.try_get("action")?,
                before: before.as_deref().and_then(counts),
                after: counts(&after).unwrap_or(ReportInput {
                    participants: 0,
                    items: vec![],
                    highlights: String::new(),
                }),
                reason: r.try_get("reason")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let created = HistoryLine {
        version: 1,
        changed_by: author,
        changed_at: report.created_at,
        action: "created".to_string(),
        before: None,
        after: match changes.first() {
            Some(first) => first.before.clone().unwrap_or_else(|| report.input.clone()),
            None => report.input.clone(),
        },
        reason: None,
    };
    changes.insert(0, created);
    Ok(changes)
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

async fn record_history(tx: &mut Tx, now: i64, c: Change<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO report_history (report_id, version, changed_by, changed_at, action, before_counts, after_counts, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(c.report_id)
    .bind(c.version)
    .bind(c.by)
    .bind(now)
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
        return Err(Error::Conflict(crate::i18n::Msg::new("report-voided")));
    }
    let flags = super::plausibility(input, Some(&current.input));
    let version = current.version + 1;
    sqlx::query("UPDATE reports SET participants = $1, highlights = $2, version = $3, flags = $4, updated_at = $5 WHERE id = $6")
        .bind(input.participants)
        .bind(&input.highlights)
        .bind(version)
        .bind(&flags)
        .bind(db.now_ms())
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
        db.now_ms(),
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
    let place = Place::of(event);
    let mut deltas = Deltas::default();
    deltas.report(&place, &current.input, -1);
    deltas.report(&place, input, 1);
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
        return Err(Error::Conflict(crate::i18n::Msg::new("report-voided")));
    }
    let version = current.version + 1;
    sqlx::query("UPDATE reports SET voided_at = $1, void_reason = $2, version = $3, updated_at = $1 WHERE id = $4")
        .bind(db.now_ms())
        .bind(reason)
        .bind(version)
        .bind(report.id)
        .execute(&mut *tx)
        .await?;
    record_history(
        &mut tx,
        db.now_ms(),
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
    let place = Place::of(event);
    let mut deltas = Deltas::default();
    deltas.report(&place, &current.input, -1);
    if totals.reports == 0 {
        deltas.event_reported(&place, -1);
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

//! A report's history: one line per edit, correction or void, written in the change's
//! transaction; the first line, "created", is the report row itself.

use crate::db::{Db, Tx};
use crate::reports::ReportInput;

use super::Report;

/// What a line of history records; stored as its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryAction {
    Created,
    Edited,
    Voided,
}

impl HistoryAction {
    pub fn as_str(self) -> &'static str {
        match self {
            HistoryAction::Created => "created",
            HistoryAction::Edited => "edited",
            HistoryAction::Voided => "voided",
        }
    }

    fn parse(name: &str) -> Result<HistoryAction, sqlx::Error> {
        match name {
            "created" => Ok(HistoryAction::Created),
            "edited" => Ok(HistoryAction::Edited),
            "voided" => Ok(HistoryAction::Voided),
            other => Err(sqlx::Error::Decode(
                format!("unknown report history action {other:?}").into(),
            )),
        }
    }
}

/// One line of a report's history.
pub struct HistoryLine {
    pub version: i64,
    pub changed_by: String,
    pub changed_at: i64,
    pub action: HistoryAction,
    pub before: Option<ReportInput>,
    pub after: ReportInput,
    pub reason: Option<String>,
}

/// A `report_history` row with its author's name, as read.
#[derive(sqlx::FromRow)]
struct HistoryRow {
    version: i64,
    display_name: String,
    changed_at: i64,
    action: String,
    before_counts: Option<String>,
    after_counts: String,
    reason: Option<String>,
}

impl HistoryRow {
    fn line(self) -> Result<HistoryLine, sqlx::Error> {
        let counts = |json: &str| serde_json::from_str::<ReportInput>(json).ok();
        Ok(HistoryLine {
            version: self.version,
            changed_by: self.display_name,
            changed_at: self.changed_at,
            action: HistoryAction::parse(&self.action)?,
            before: self.before_counts.as_deref().and_then(counts),
            after: counts(&self.after_counts).unwrap_or(ReportInput {
                participants: 0,
                items: vec![],
                highlights: String::new(),
            }),
            reason: self.reason,
        })
    }
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
    let rows: Vec<HistoryRow> = sqlx::query_as(
        "SELECT h.version, a.display_name, h.changed_at, h.action, h.before_counts, h.after_counts, h.reason \
         FROM report_history h JOIN accounts a ON a.id = h.changed_by WHERE h.report_id = $1 ORDER BY h.version",
    )
    .bind(report.id)
    .fetch_all(&db.pool)
    .await?;
    let mut changes = rows
        .into_iter()
        .map(HistoryRow::line)
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let created = HistoryLine {
        version: 1,
        changed_by: author,
        changed_at: report.created_at,
        action: HistoryAction::Created,
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
pub(super) struct Change<'a> {
    pub report_id: i64,
    pub version: i64,
    pub by: i64,
    pub action: HistoryAction,
    pub before: Option<&'a ReportInput>,
    pub after: &'a ReportInput,
    pub reason: Option<&'a str>,
}

pub(super) async fn record(tx: &mut Tx, now: i64, c: Change<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO report_history (report_id, version, changed_by, changed_at, action, before_counts, after_counts, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(c.report_id)
    .bind(c.version)
    .bind(c.by)
    .bind(now)
    .bind(c.action.as_str())
    .bind(c.before.map(|b| serde_json::to_string(b).unwrap_or_default()))
    .bind(serde_json::to_string(c.after).unwrap_or_default())
    .bind(c.reason)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

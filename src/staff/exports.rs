//! Exports: a campaign's events, RSVPs and reports (one row per report item) as CSV, for the
//! office's own systems. Streamed from the database to the client a block at a time, so an export
//! of any size holds a few blocks in memory; formula-safe (`csv`); optionally with a byte order
//! mark for spreadsheet programs; scoped by country like every staff view; and each one written
//! to the audit trail (who exported what, when, with which filters) before its first byte goes out.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use serde_json::json;

use super::store::{self, EventRow, Export, ReportItemRow, RsvpRow};
use super::{Params, campaign, country_scope, csv, only_known, param, require_staff};
use crate::accounts::Account;
use crate::accounts::auth::{ApiCaller, StaffUser};
use crate::audit::{self, Entry, Subject};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::i18n::{FieldErrors, Lang, Msg};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/staff/campaigns/{campaign}/exports/{file}",
            get(page_export),
        )
        .route(
            "/api/v1/campaigns/{campaign}/exports/{file}",
            get(api_export),
        )
}

/// `bom=1` (or `true`) asks for a byte order mark; anything else but `0`/`false` is refused.
pub fn bom(params: &Params) -> Result<bool> {
    match param(params, "bom")? {
        None | Some("0") | Some("false") => Ok(false),
        Some("1") | Some("true") => Ok(true),
        Some(_) => {
            let mut errors = FieldErrors::default();
            errors.add("bom", Msg::new("staff-error-bom"));
            Err(Error::Invalid(errors))
        }
    }
}

fn which(file: &str) -> Result<Export> {
    match file {
        "events.csv" => Ok(Export::Events),
        "rsvps.csv" => Ok(Export::Rsvps),
        "reports.csv" => Ok(Export::Reports),
        _ => Err(Error::NotFound),
    }
}

impl Export {
    fn name(self) -> &'static str {
        match self {
            Export::Events => "events",
            Export::Rsvps => "rsvps",
            Export::Reports => "reports",
        }
    }

    fn action(self) -> &'static str {
        match self {
            Export::Events => "export.events",
            Export::Rsvps => "export.rsvps",
            Export::Reports => "export.reports",
        }
    }
}

async fn page_export(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    Path((slug, file)): Path<(String, String)>,
    Query(params): Query<Params>,
) -> Result<Response> {
    export(&state, &me, &slug, &file, &params).await
}

async fn api_export(
    State(state): State<AppState>,
    ApiCaller(me): ApiCaller,
    Path((slug, file)): Path<(String, String)>,
    Query(params): Query<Params>,
) -> Result<Response> {
    export(&state, &me, &slug, &file, &params).await
}

async fn export(
    state: &AppState,
    me: &Account,
    slug: &str,
    file: &str,
    params: &Params,
) -> Result<Response> {
    require_staff(me)?;
    let what = which(file)?;
    only_known(params, &["country", "bom"])?;
    let bom = bom(params)?;
    let country = country_scope(me, param(params, "country")?)?;
    let campaign = campaign(state, slug, Lang::FALLBACK).await?;

    // Written first and committed: an export that was started is an export that happened.
    let now = state.db.now_ms();
    let mut tx = state.db.begin_write().await?;
    let mut entry = Entry::new(
        Some(me.id),
        what.action(),
        Subject::new("campaign", campaign.id),
    )
    .campaign(campaign.id)
    .after(json!({"export": what.name(), "country": country, "bom": bom}));
    if let Some(c) = country.as_deref() {
        entry = entry.country(c);
    }
    audit::record(&mut tx, now, &entry).await?;
    tx.commit().await?;
    tracing::info!(staff_id = me.id, export = what.name(), "export started");

    let filename = match &country {
        Some(c) => format!("{}-{}-{}.csv", campaign.slug, c.to_lowercase(), what.name()),
        None => format!("{}-{}.csv", campaign.slug, what.name()),
    };
    let db = state.db.clone();
    let base = state.settings.public_url.clone();
    let campaign_id = campaign.id;
    Ok(match what {
        Export::Events => csv::streamed(&filename, bom, &EVENTS, move |sink| {
            events(db, campaign_id, country, base, sink)
        }),
        Export::Rsvps => csv::streamed(&filename, bom, &RSVPS, move |sink| {
            rsvps(db, campaign_id, country, sink)
        }),
        Export::Reports => csv::streamed(&filename, bom, &REPORTS, move |sink| {
            reports(db, campaign_id, country, sink)
        }),
    })
}

const EVENTS: [&str; 24] = [
    "id",
    "title",
    "kind",
    "visibility",
    "status",
    "starts_at",
    "ends_at",
    "timezone",
    "venue",
    "address",
    "city",
    "region",
    "country",
    "capacity",
    "language",
    "host_name",
    "host_email",
    "confirmed_rsvps",
    "reports",
    "letters",
    "solidarity",
    "participants",
    "registered_at",
    "url",
];

async fn events(
    db: Db,
    campaign_id: i64,
    country: Option<String>,
    base: String,
    mut sink: csv::Sink,
) -> Result<csv::Sink, sqlx::Error> {
    use tokio_stream::StreamExt;
    let sql = Export::Events.sql(country.as_deref());
    let mut rows = store::rows::<EventRow>(&db, &sql, campaign_id, country.as_deref());
    while let Some(e) = rows.next().await.transpose()? {
        let mut line = csv::Line::new(sink.buf());
        line.number(e.id)
            .text(&e.title)
            .text(&e.kind)
            .text(&e.visibility)
            .text(&e.status)
            .time(Some(e.starts_at))
            .time(Some(e.ends_at))
            .text(&e.timezone)
            .text(&e.venue_name)
            .text(&e.address)
            .text(&e.city)
            .opt(e.region.as_deref())
            .text(&e.country);
        match e.capacity {
            Some(n) => line.number(n),
            None => line.opt(None),
        };
        line.text(&e.language)
            .text(&e.host_name)
            .text(&e.host_email)
            .number(e.confirmed_rsvps)
            .number(e.reports)
            .number(e.letters)
            .number(e.solidarity)
            .number(e.participants)
            .time(Some(e.created_at))
            .text(&format!("{base}/events/{}", e.id))
            .end();
        if !sink.flush_if_full().await {
            break;
        }
    }
    Ok(sink)
}

const RSVPS: [&str; 10] = [
    "id",
    "event_id",
    "event_title",
    "country",
    "name",
    "email",
    "status",
    "consent_contact",
    "language",
    "registered_at",
];

async fn rsvps(
    db: Db,
    campaign_id: i64,
    country: Option<String>,
    mut sink: csv::Sink,
) -> Result<csv::Sink, sqlx::Error> {
    use tokio_stream::StreamExt;
    let sql = Export::Rsvps.sql(country.as_deref());
    let mut rows = store::rows::<RsvpRow>(&db, &sql, campaign_id, country.as_deref());
    while let Some(r) = rows.next().await.transpose()? {
        csv::Line::new(sink.buf())
            .number(r.id)
            .number(r.event_id)
            .text(&r.event_title)
            .text(&r.country)
            .text(&r.name)
            .text(&r.email)
            .text(&r.status)
            .bool(r.consent_contact != 0)
            .text(&r.language)
            .time(Some(r.created_at))
            .end();
        if !sink.flush_if_full().await {
            break;
        }
    }
    Ok(sink)
}

const REPORTS: [&str; 16] = [
    "report_id",
    "event_id",
    "event_title",
    "kind",
    "city",
    "region",
    "country",
    "case",
    "letters",
    "solidarity",
    "participants",
    "flags",
    "status",
    "reported_at",
    "updated_at",
    "voided_at",
];

async fn reports(
    db: Db,
    campaign_id: i64,
    country: Option<String>,
    mut sink: csv::Sink,
) -> Result<csv::Sink, sqlx::Error> {
    use tokio_stream::StreamExt;
    let sql = Export::Reports.sql(country.as_deref());
    let mut rows = store::rows::<ReportItemRow>(&db, &sql, campaign_id, country.as_deref());
    while let Some(r) = rows.next().await.transpose()? {
        csv::Line::new(sink.buf())
            .number(r.report_id)
            .number(r.event_id)
            .text(&r.event_title)
            .text(&r.kind)
            .text(&r.city)
            .opt(r.region.as_deref())
            .text(&r.country)
            .text(&r.case_slug)
            .number(r.letters)
            .number(r.solidarity)
            .number(r.participants)
            .text(&r.flags)
            .text(if r.voided_at.is_some() {
                "voided"
            } else {
                "current"
            })
            .time(Some(r.created_at))
            .time(Some(r.updated_at))
            .time(r.voided_at)
            .end();
        if !sink.flush_if_full().await {
            break;
        }
    }
    Ok(sink)
}

//! "Not reported": the campaign's published events that ended with no report, with their host's
//! contact (this is a staff page), the last reminder the host was sent, and a button that sends
//! one now, through the outbox, at most once a day per event. The same list as CSV and JSON.

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Duration;
use serde::Deserialize;
use serde_json::json;

use super::store::{self, Unreported};
use super::{Params, campaign, country_scope, csv, param, require_staff};
use crate::accounts::Account;
use crate::accounts::auth::{ApiCaller, StaffUser};
use crate::audit::{self, Entry, Subject};
use crate::campaigns::Campaign;
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::i18n::{Lang, Msg, Tr};
use crate::outbox::{Letter, body, queue, unsubscribe};
use crate::state::AppState;
use crate::web::csrf::CsrfForm;
use crate::web::page::{PageCtx, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/campaigns/{campaign}/unreported", get(page))
        .route("/staff/campaigns/{campaign}/unreported.csv", get(page_csv))
        .route("/staff/events/{id}/remind", post(remind))
        .route("/api/v1/campaigns/{campaign}/unreported", get(api))
        .route("/api/v1/campaigns/{campaign}/unreported.csv", get(api_csv))
}

/// The page shows this many; the CSV and JSON have them all.
const SHOWN: i64 = 500;
/// However long the list, the CSV and JSON stop here.
const ALL: i64 = 200_000;

/// The list for `me`, and the scope it was read in.
async fn list(
    state: &AppState,
    me: &Account,
    slug: &str,
    params: &Params,
    lang: Lang,
    limit: i64,
) -> Result<(Campaign, Option<String>, Vec<Unreported>, i64)> {
    require_staff(me)?;
    let country = country_scope(me, param(params, "country")?)?;
    let campaign = campaign(state, slug, lang).await?;
    let now = state.db.now_ms();
    let rows = store::unreported(&state.db, campaign.id, country.as_deref(), now, limit).await?;
    let total = if (rows.len() as i64) < limit {
        rows.len() as i64
    } else {
        store::unreported_count(&state.db, campaign.id, country.as_deref(), now).await?
    };
    Ok((campaign, country, rows, total))
}

#[derive(Template)]
#[template(path = "staff/unreported.html")]
struct UnreportedPage {
    page: PageCtx,
    campaign: Campaign,
    country: Option<String>,
    sees_all: bool,
    rows: Vec<Unreported>,
    total: i64,
    /// The start of today (UTC), from when a reminder counts as today's.
    today_from: i64,
    notice: Option<String>,
}

impl UnreportedPage {
    fn when(&self, ms: &Option<i64>) -> String {
        match ms {
            Some(ms) => self.page.date_ms(ms),
            None => self.page.tr.t("staff-unreported-never"),
        }
    }

    fn csv_href(&self) -> String {
        let mut href = format!("/staff/campaigns/{}/unreported.csv", self.campaign.slug);
        if let Some(c) = &self.country {
            href.push_str("?country=");
            href.push_str(c);
        }
        href
    }
}

async fn page(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Path(slug): Path<String>,
    Query(params): Query<Params>,
) -> Result<Response> {
    let (campaign, country, rows, total) =
        list(&state, &me, &slug, &params, page.lang, SHOWN).await?;
    let notice = match param(&params, "notice")? {
        Some("sent") => Some(page.tr.t("staff-remind-sent")),
        Some("already") => Some(page.tr.t("staff-remind-already")),
        Some("off") => Some(page.tr.t("staff-remind-off")),
        _ => None,
    };
    let today_from = state.db.now_ms() / DAY_MS * DAY_MS;
    let mut response = render(&UnreportedPage {
        page,
        campaign,
        country,
        sees_all: super::sees_all(&me),
        rows,
        total,
        today_from,
        notice,
    });
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}

const CSV_HEADER: [&str; 13] = [
    "event_id",
    "title",
    "kind",
    "city",
    "region",
    "country",
    "starts_at",
    "ends_at",
    "host_name",
    "host_email",
    "last_reminder_at",
    "event_url",
    "report_url",
];

fn csv_response(state: &AppState, slug: &str, rows: Vec<Unreported>, bom: bool) -> Response {
    let base = state.settings.public_url.clone();
    csv::streamed(
        &format!("{slug}-unreported.csv"),
        bom,
        &CSV_HEADER,
        move |mut sink| async move {
            for r in rows {
                csv::Line::new(sink.buf())
                    .number(r.id)
                    .text(&r.title)
                    .text(&r.kind)
                    .text(&r.city)
                    .opt(r.region.as_deref())
                    .text(&r.country)
                    .time(Some(r.starts_at))
                    .time(Some(r.ends_at))
                    .text(&r.host_name)
                    .text(&r.host_email)
                    .time(r.last_reminder_at())
                    .text(&format!("{base}/events/{}", r.id))
                    .text(&format!("{base}/events/{}/report", r.id))
                    .end();
                if !sink.flush_if_full().await {
                    break;
                }
            }
            Ok(sink)
        },
    )
}

fn bom(params: &Params) -> Result<bool> {
    super::exports::bom(params)
}

async fn page_csv(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    Path(slug): Path<String>,
    Query(params): Query<Params>,
) -> Result<Response> {
    super::only_known(&params, &["country", "bom"])?;
    let bom = bom(&params)?;
    let (campaign, _, rows, _) = list(&state, &me, &slug, &params, Lang::FALLBACK, ALL).await?;
    Ok(csv_response(&state, &campaign.slug, rows, bom))
}

async fn api_csv(
    State(state): State<AppState>,
    ApiCaller(me): ApiCaller,
    Path(slug): Path<String>,
    Query(params): Query<Params>,
) -> Result<Response> {
    super::only_known(&params, &["country", "bom"])?;
    let bom = bom(&params)?;
    let (campaign, _, rows, _) = list(&state, &me, &slug, &params, Lang::FALLBACK, ALL).await?;
    Ok(csv_response(&state, &campaign.slug, rows, bom))
}

fn rfc3339(ms: i64) -> Option<String> {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

async fn api(
    State(state): State<AppState>,
    ApiCaller(me): ApiCaller,
    Path(slug): Path<String>,
    Query(params): Query<Params>,
) -> Result<Response> {
    super::only_known(&params, &["country"])?;
    let (campaign, country, rows, _) =
        list(&state, &me, &slug, &params, Lang::FALLBACK, ALL).await?;
    let base = &state.settings.public_url;
    let events: Vec<_> = rows
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "title": r.title,
                "kind": r.kind,
                "city": r.city,
                "region": r.region,
                "country": r.country,
                "starts_at": rfc3339(r.starts_at),
                "ends_at": rfc3339(r.ends_at),
                "host": {"name": r.host_name, "email": r.host_email},
                "last_reminder_at": r.last_reminder_at().and_then(rfc3339),
                "url": format!("{base}/events/{}", r.id),
            })
        })
        .collect();
    let mut response = Json(json!({
        "campaign": campaign.slug,
        "country": country,
        "count": events.len(),
        "events": events,
    }))
    .into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}

const DAY_MS: i64 = 24 * 3600 * 1000;

#[derive(Deserialize)]
struct RemindForm {
    #[serde(default)]
    country: String,
}

/// What "send a reminder now" did.
enum Reminded {
    Sent,
    /// Today's was sent already (by anyone): at most one a day.
    AlreadyToday,
    /// The host turned reminders off: staff reach them some other way.
    RemindersOff,
}

impl Reminded {
    fn notice(&self) -> &'static str {
        match self {
            Reminded::Sent => "sent",
            Reminded::AlreadyToday => "already",
            Reminded::RemindersOff => "off",
        }
    }
}

async fn remind(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<RemindForm>,
) -> Result<Response> {
    let db = &state.db;
    // Another country's event is as unknown as a missing one.
    let event = crate::events::store::get(db, id)
        .await?
        .filter(|e| me.is_staff_for(&e.country))
        .ok_or(Error::NotFound)?;
    let campaign = crate::campaigns::store::by_id(db, event.campaign_id, Lang::FALLBACK)
        .await?
        .ok_or(Error::NotFound)?;
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    if !store::is_unreported(&mut tx, id, now).await? {
        tx.rollback().await?;
        return Err(Error::Conflict(Msg::new("staff-remind-not-due")));
    }
    let done = queue_reminder(&mut tx, &state, &event, &campaign, now).await?;
    if let Reminded::Sent = done {
        let day = chrono::DateTime::from_timestamp_millis(now)
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let entry = Entry::new(Some(me.id), "event.remind_host", Subject::new("event", id))
            .campaign(event.campaign_id)
            .country(&event.country)
            .after(json!({"reminder": "host", "day": day}));
        audit::record(&mut tx, now, &entry).await?;
        tx.commit().await?;
        tracing::info!(event_id = id, staff_id = me.id, "host reminded by staff");
    } else {
        tx.rollback().await?;
    }
    let mut back = format!(
        "/staff/campaigns/{}/unreported?notice={}",
        campaign.slug,
        done.notice()
    );
    let country = form.country.trim();
    if country.len() == 2 && country.chars().all(|c| c.is_ascii_uppercase()) {
        back.push_str("&country=");
        back.push_str(country);
    }
    Ok(Redirect::to(&back).into_response())
}

/// Queues today's reminder to the event's host in `tx`, unless one was queued today or the host
/// turned reminders off.
async fn queue_reminder(
    tx: &mut Tx,
    state: &AppState,
    event: &crate::events::Event,
    campaign: &Campaign,
    now: i64,
) -> Result<Reminded> {
    let settings = &state.settings;
    let day = chrono::DateTime::from_timestamp_millis(now)
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let dedupe_key = format!("reminder-host-now:{}:{day}", event.id);
    let host = crate::accounts::store::recipient(tx, event.host_id).await?;
    let lang = host.lang();
    let Some(stop_url) = unsubscribe::link(tx, now, settings, &host.email).await? else {
        return Ok(Reminded::RemindersOff);
    };
    let tr = Tr::new(lang);
    let base = &settings.public_url;
    let mut b = body(&tr, &host.display_name);
    b.paragraphs.push(tr.t("mail-remind-host-body"));
    b.details = crate::events::mail::details(&tr, event, false);
    let deadline = crate::reports::deadline_end(campaign.report_deadline);
    b.details.push((
        tr.t("mail-deadline"),
        (deadline - Duration::hours(14))
            .format("%Y-%m-%d")
            .to_string(),
    ));
    b.links.push((
        tr.t("mail-report-link"),
        format!("{base}/events/{}/report", event.id),
    ));
    b.footer.push(tr.t("mail-unsubscribe-hint"));
    b.links
        .push((tr.t("mail-unsubscribe-link"), stop_url.clone()));
    let letter = Letter {
        kind: "reminder-host-now",
        dedupe_key: Some(dedupe_key),
        to_name: host.display_name.clone(),
        to_email: host.email.clone(),
        subject: tr.t1("mail-remind-host-subject", "title", event.title.as_str()),
        body: b,
        calendar: None,
        unsubscribe: Some(stop_url),
        country: Some(event.country.clone()),
    };
    if queue(tx, now, &settings.mail.from, letter).await? {
        Ok(Reminded::Sent)
    } else {
        Ok(Reminded::AlreadyToday)
    }
}

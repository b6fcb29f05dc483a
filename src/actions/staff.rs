//! Staff and online actions (`/staff/campaigns/{campaign}/actions`): the count per case with
//! its delivery list (CSV, and a PDF petition typeset like the kits) and delivery log, and the
//! clusters that look like bots — one network, one message, a burst — which staff may
//! invalidate. An invalidated action leaves the tally in the same transaction, with an audit
//! entry; its sender is told nothing (a repeat gets the usual answer and counts for nothing).
//! Actions are shared by every country: admins and staff of every country act on clusters;
//! staff of a case's country may also download its list and record its delivery.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

use super::api::{campaign_and_case, csv_body, csv_response, may_deliver};
use super::store::{self, Cluster, Delivery};
use crate::accounts::Account;
use crate::accounts::auth::StaffUser;
use crate::audit::{self, Entry, Subject};
use crate::campaigns::{Campaign, Case, store as campaigns};
use crate::error::{Error, Result};
use crate::i18n::{FieldErrors, Lang, Msg};
use crate::reports::store::Deltas;
use crate::state::AppState;
use crate::web::csrf::CsrfForm;
use crate::web::forms;
use crate::web::page::PageCtx;

/// Fewest actions that make a cluster worth a look.
const CLUSTER_MIN: i64 = 5;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/campaigns/{campaign}/actions", get(overview))
        .route(
            "/staff/campaigns/{campaign}/actions/invalidate",
            post(invalidate_form),
        )
        .route(
            "/staff/campaigns/{campaign}/cases/{case}/actions.csv",
            get(case_csv),
        )
        .route(
            "/staff/campaigns/{campaign}/cases/{case}/petition.pdf",
            get(petition_pdf),
        )
        .route(
            "/staff/campaigns/{campaign}/cases/{case}/deliveries",
            post(delivery_form),
        )
}

/// Records a download of a case's list in the audit trail, before it goes out.
pub async fn audit_download(
    state: &AppState,
    me: &Account,
    campaign: &Campaign,
    case: &Case,
    format: &str,
) -> Result<()> {
    let mut tx = state.db.begin_write().await?;
    let entry = Entry::new(Some(me.id), "export.actions", Subject::new("case", case.id))
        .campaign(campaign.id)
        .country(&case.country)
        .after(json!({"format": format}));
    audit::record(&mut tx, state.db.now_ms(), &entry).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Template)]
#[template(path = "actions/staff.html")]
struct Overview {
    page: PageCtx,
    campaign: Campaign,
    /// Each case the viewer may deliver, its counted actions and its deliveries.
    cases: Vec<(Case, i64, Vec<Delivery>)>,
    /// Clusters, for those who may invalidate.
    clusters: Vec<Cluster>,
    may_invalidate: bool,
    errors: FieldErrors,
}

async fn overview(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response> {
    render_overview(&state, &me, page, &slug, FieldErrors::default()).await
}

async fn render_overview(
    state: &AppState,
    me: &Account,
    page: PageCtx,
    slug: &str,
    errors: FieldErrors,
) -> Result<Response> {
    let campaign = campaigns::by_slug(&state.db, slug, page.lang)
        .await?
        .ok_or(Error::NotFound)?;
    let counts: std::collections::HashMap<i64, i64> =
        store::counted_per_case(&state.db, campaign.id)
            .await?
            .into_iter()
            .collect();
    let mut cases = Vec::new();
    for case in campaigns::cases(&state.db, campaign.id, page.lang).await? {
        if may_deliver(me, &case).is_ok() {
            let deliveries = store::deliveries(&state.db, case.id).await?;
            let n = counts.get(&case.id).copied().unwrap_or(0);
            cases.push((case, n, deliveries));
        }
    }
    // Staff of a country with no case of the campaign see an empty list, like any staff list.
    let may_invalidate = me.can_manage_campaigns();
    let clusters = if may_invalidate {
        store::clusters(&state.db, campaign.id, CLUSTER_MIN).await?
    } else {
        Vec::new()
    };
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(crate::web::page::render_status(
        status,
        &Overview {
            page,
            campaign,
            cases,
            clusters,
            may_invalidate,
            errors,
        },
    ))
}

#[derive(Deserialize)]
struct InvalidateFields {
    kind: String,
    key: String,
}

async fn invalidate_form(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<InvalidateFields>,
) -> Result<Response> {
    if !me.can_manage_campaigns() {
        return Err(Error::Forbidden);
    }
    if !matches!(form.kind.as_str(), "network" | "message" | "burst") {
        return Err(Error::BadRequest(Msg::new("error-form-malformed")));
    }
    let campaign = campaigns::by_slug(&state.db, &slug, Lang::FALLBACK)
        .await?
        .ok_or(Error::NotFound)?;
    invalidate(&state, &me, &campaign, &form.kind, &form.key).await?;
    Ok(Redirect::to(&format!("/staff/campaigns/{slug}/actions")).into_response())
}

/// Invalidates a cluster: its actions leave the tally (the confirmed ones), with one audit entry,
/// in one transaction. Returns (actions invalidated, of which counted).
pub async fn invalidate(
    state: &AppState,
    me: &Account,
    campaign: &Campaign,
    kind: &str,
    key: &str,
) -> Result<(usize, i64)> {
    let now = state.db.now_ms();
    let mut tx = state.db.begin_write().await?;
    let gone = store::invalidate(&mut tx, now, me.id, campaign.id, kind, key).await?;
    let mut deltas = Deltas::default();
    let mut counted = 0;
    for (case_id, country, confirmed) in &gone {
        if *confirmed == 1 {
            deltas.online(campaign.id, *case_id, country, -1);
            counted += 1;
        }
    }
    deltas.apply(state.db.backend, &mut tx).await?;
    let shown_key = if kind == "message" {
        // The message itself may name people: the trail keeps its hash.
        crate::secret::secret_hash(key)
    } else {
        key.to_string()
    };
    let entry = Entry::new(
        Some(me.id),
        "actions.invalidate",
        Subject::new("campaign", campaign.id),
    )
    .campaign(campaign.id)
    .after(json!({"kind": kind, "key": shown_key, "actions": gone.len(), "counted": counted}));
    audit::record(&mut tx, now, &entry).await?;
    tx.commit().await?;
    state.tally().changed(campaign.id).await;
    tracing::info!(
        staff_id = me.id,
        actions = gone.len(),
        counted,
        "actions invalidated"
    );
    Ok((gone.len(), counted))
}

async fn case_csv(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    Path((slug, case_slug)): Path<(String, String)>,
) -> Result<Response> {
    let (campaign, case) = campaign_and_case(&state, &slug, &case_slug, Lang::FALLBACK).await?;
    may_deliver(&me, &case)?;
    let body = csv_body(&state, &case).await?;
    audit_download(&state, &me, &campaign, &case, "csv").await?;
    Ok(csv_response(
        &format!("{}-{}-actions.csv", campaign.slug, case.slug),
        body,
    ))
}

async fn petition_pdf(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Path((slug, case_slug)): Path<(String, String)>,
) -> Result<Response> {
    let (campaign, case) = campaign_and_case(&state, &slug, &case_slug, page.lang).await?;
    may_deliver(&me, &case)?;
    let signers: Vec<(String, String)> = store::signatures(&state.db, case.id)
        .await?
        .into_iter()
        .map(|s| (s.name, s.country))
        .collect();
    audit_download(&state, &me, &campaign, &case, "pdf").await?;
    let today = state.db.clock.now().date_naive();
    let lang = page.lang;
    let paper = crate::kits::Paper::for_country(&case.country);
    let pdf = tokio::task::spawn_blocking(move || {
        let title = format!("{} — {}", campaign.title, case.name);
        let mut kit = crate::kits::documents::Kit::new(lang, paper, today, &campaign, title);
        kit.petition(&case, &signers);
        let doc = kit.finish();
        crate::kits::typeset::pdf(&doc.data, doc.attachments, today)
    })
    .await
    .map_err(anyhow::Error::from)??;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{slug}-{case_slug}-petition.pdf\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        pdf,
    )
        .into_response())
}

#[derive(Deserialize)]
struct DeliveryFields {
    #[serde(default)]
    delivered_on: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    note: String,
}

async fn delivery_form(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Path((slug, case_slug)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<DeliveryFields>,
) -> Result<Response> {
    let (campaign, case) = campaign_and_case(&state, &slug, &case_slug, Lang::FALLBACK).await?;
    may_deliver(&me, &case)?;
    let mut errors = FieldErrors::default();
    let on = forms::date(&mut errors, "delivered_on", &form.delivered_on);
    let method = forms::line(&mut errors, "method", &form.method, 1, 80);
    let note = forms::text(&mut errors, "note", &form.note, 0, 1000);
    let Some(on) = on.filter(|_| errors.is_empty()) else {
        return render_overview(&state, &me, page, &slug, errors).await;
    };
    let actions = store::signatures(&state.db, case.id).await?.len() as i64;
    let now = state.db.now_ms();
    let mut tx = state.db.begin_write().await?;
    let on = on.format("%Y-%m-%d").to_string();
    let id =
        store::add_delivery(&mut tx, now, case.id, &on, &method, &note, actions, me.id).await?;
    let entry = Entry::new(
        Some(me.id),
        "actions.deliver",
        Subject::new("case", case.id),
    )
    .campaign(campaign.id)
    .country(&case.country)
    .after(json!({"delivery": id, "delivered_on": on, "method": method, "actions": actions}));
    audit::record(&mut tx, now, &entry).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/staff/campaigns/{slug}/actions")).into_response())
}

//! Webhooks, administered: subscriptions to the event types of `webhooks`, their deliveries with
//! the receivers' answers, "send test", secrets shown once and rotated. Administrators only
//! (staff and hosts: 403). Every change goes to the audit trail (`webhook.create`, `.update`,
//! `.delete`, `.rotate_secret`, `.test`, `.retry`), without the secret. This file holds what the
//! API and the pages (`webhook_pages`) share, and the API.

use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::accounts::auth::ApiCaller;
use crate::accounts::{Account, Role};
use crate::audit::{self, Entry, Subject};
use crate::error::{Error, Result};
use crate::i18n::{FieldErrors, Msg};
use crate::state::AppState;
use crate::web::api::ApiJson;
use crate::web::idempotency::{Claim, Idempotency, StoredResponse};
use crate::webhooks::store::{self, Delivery, Webhook};
use crate::webhooks::{self as hooks, EventType};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/webhooks", get(api_list).post(api_create))
        .route(
            "/api/v1/webhooks/{id}",
            get(api_get).patch(api_update).delete(api_delete),
        )
        .route("/api/v1/webhooks/{id}/rotate-secret", post(api_rotate))
        .route("/api/v1/webhooks/{id}/test", post(api_test))
        .route("/api/v1/webhooks/{id}/deliveries", get(api_deliveries))
        .route(
            "/api/v1/webhooks/{id}/deliveries/{delivery}/retry",
            post(api_retry),
        )
}

/// Webhooks are the administrators': anyone else is refused.
pub fn require_admin(me: &Account) -> Result<()> {
    if me.role == Role::Admin {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// After a rotation the old secret signs too, for this long.
pub const OLD_SECRET_KEPT_MS: i64 = 24 * 3600 * 1000;
/// A description longer than this is refused.
const DESCRIPTION_MAX: usize = 200;

/// A subscription as checked: a URL we may call and known event types.
pub struct Checked {
    pub url: String,
    pub description: String,
    pub events: Vec<&'static str>,
}

/// Checks what an administrator sent; the messages are Fluent ids for the form or problem+json.
pub fn check(
    state: &AppState,
    url: &str,
    description: &str,
    events: &[String],
) -> std::result::Result<Checked, FieldErrors> {
    let mut errors = FieldErrors::default();
    let url = match hooks::address::check_url(url, state.settings.webhooks.allow_private) {
        Ok(u) => u.to_string(),
        Err(why) => {
            errors.add("url", Msg::new(why));
            String::new()
        }
    };
    let description = description.trim().to_string();
    if description.chars().count() > DESCRIPTION_MAX {
        errors.add("description", Msg::new("webhook-error-description"));
    }
    let mut types = Vec::new();
    for e in events {
        match EventType::parse(e.trim()) {
            Some(t) if !types.contains(&t.as_str()) => types.push(t.as_str()),
            Some(_) => {}
            None => {
                errors.add("events", Msg::new("webhook-error-events-unknown"));
                break;
            }
        }
    }
    if types.is_empty() && errors.is_empty() {
        errors.add("events", Msg::new("webhook-error-events"));
    }
    types.sort();
    errors.into_result().map(|()| Checked {
        url,
        description,
        events: types,
    })
}

/// What the audit trail keeps of a subscription: never its secret.
pub fn audit_view(hook: &Webhook) -> Value {
    json!({"url": hook.url, "description": hook.description, "events": hook.event_types(),
        "active": hook.is_active()})
}

fn rfc3339(ms: i64) -> Option<String> {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

pub fn webhook_json(hook: &Webhook) -> Value {
    json!({"id": hook.id, "url": hook.url, "description": hook.description,
        "events": hook.event_types(), "active": hook.is_active(),
        "created_at": rfc3339(hook.created_at), "updated_at": rfc3339(hook.updated_at)})
}

pub fn delivery_json(d: &Delivery) -> Value {
    json!({"id": d.id, "webhook_id": d.msg_id, "type": d.event_type, "status": d.status,
        "attempts": d.attempts, "created_at": rfc3339(d.created_at),
        "last_attempt_at": d.last_attempt_at.and_then(rfc3339),
        "next_attempt_at": (d.status == "queued").then(|| rfc3339(d.next_attempt_at)).flatten(),
        "delivered_at": d.delivered_at.and_then(rfc3339),
        "response": {"status": d.last_status, "body": d.last_response},
        "error": d.last_error,
        "payload": serde_json::from_str::<Value>(&d.payload).unwrap_or(Value::Null)})
}

/// Stores a new subscription with a fresh secret, audited; returns it and the secret.
pub async fn create(
    state: &AppState,
    me: &Account,
    checked: &Checked,
    idem: Option<&Idempotency>,
) -> Result<std::result::Result<(Webhook, String), Response>> {
    let db = &state.db;
    let now = db.now_ms();
    let secret = hooks::new_secret();
    let mut tx = db.begin_write().await?;
    if let Some(idem) = idem
        && let Claim::Done(response) = idem.claim(db, &mut tx).await?
    {
        return Ok(Err(response));
    }
    let id = store::insert(
        &mut tx,
        now,
        &checked.url,
        &checked.description,
        &checked.events,
        &secret,
        me.id,
    )
    .await?;
    let hook = store::get_in(db.backend, &mut tx, id)
        .await?
        .ok_or(Error::NotFound)?;
    let entry = Entry::new(Some(me.id), "webhook.create", Subject::new("webhook", id))
        .after(audit_view(&hook));
    audit::record(&mut tx, now, &entry).await?;
    if let Some(idem) = idem {
        let mut body = webhook_json(&hook);
        body["secret"] = json!(secret);
        let stored = StoredResponse::created(format!("/api/v1/webhooks/{id}"), &body);
        idem.complete(&mut tx, &stored).await?;
    }
    tx.commit().await?;
    tracing::info!(webhook_id = id, admin_id = me.id, "webhook created");
    Ok(Ok((hook, secret)))
}

/// Saves `after` over the stored subscription, audited with before and after.
pub async fn update(state: &AppState, me: &Account, after: &Webhook) -> Result<()> {
    let db = &state.db;
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    let before = store::get_in(db.backend, &mut tx, after.id)
        .await?
        .ok_or(Error::NotFound)?;
    store::update(&mut tx, now, after).await?;
    let entry = Entry::new(
        Some(me.id),
        "webhook.update",
        Subject::new("webhook", after.id),
    )
    .before(audit_view(&before))
    .after(audit_view(after));
    audit::record(&mut tx, now, &entry).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete(state: &AppState, me: &Account, id: i64) -> Result<()> {
    let db = &state.db;
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    let before = store::get_in(db.backend, &mut tx, id)
        .await?
        .ok_or(Error::NotFound)?;
    store::delete(&mut tx, id).await?;
    let entry = Entry::new(Some(me.id), "webhook.delete", Subject::new("webhook", id))
        .before(audit_view(&before));
    audit::record(&mut tx, now, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// A new secret, shown once; the old one signs beside it for a day.
pub async fn rotate(state: &AppState, me: &Account, id: i64) -> Result<(String, i64)> {
    let db = &state.db;
    let now = db.now_ms();
    let secret = hooks::new_secret();
    let until = now + OLD_SECRET_KEPT_MS;
    let mut tx = db.begin_write().await?;
    if !store::rotate(&mut tx, now, id, &secret, until).await? {
        return Err(Error::NotFound);
    }
    let entry = Entry::new(
        Some(me.id),
        "webhook.rotate_secret",
        Subject::new("webhook", id),
    )
    .after(json!({"previous_secret_until": rfc3339(until)}));
    audit::record(&mut tx, now, &entry).await?;
    tx.commit().await?;
    Ok((secret, until))
}

/// Queues a `webhook.test` message for this webhook alone; returns the delivery's id and
/// `webhook-id`.
pub async fn send_test(state: &AppState, me: &Account, id: i64) -> Result<(i64, String)> {
    let db = &state.db;
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    store::get_in(db.backend, &mut tx, id)
        .await?
        .ok_or(Error::NotFound)?;
    let msg_id = hooks::new_msg_id();
    let data = json!({"webhook": id, "message": "A test from Writeathon: this webhook is reached and its signature checks out."});
    let payload = hooks::payload(hooks::TEST_TYPE, now, &data);
    let delivery = store::insert_one(&mut tx, now, id, &msg_id, hooks::TEST_TYPE, &payload).await?;
    let entry = Entry::new(Some(me.id), "webhook.test", Subject::new("webhook", id))
        .after(json!({"delivery": delivery, "webhook_id": msg_id}));
    audit::record(&mut tx, now, &entry).await?;
    tx.commit().await?;
    Ok((delivery, msg_id))
}

/// Queues a failed delivery again, with the same `webhook-id`; audited.
pub async fn retry(state: &AppState, me: &Account, id: i64, delivery: i64) -> Result<()> {
    let db = &state.db;
    let now = db.now_ms();
    if !store::retry(db, id, delivery, now).await? {
        return Err(Error::Conflict(Msg::new("webhook-error-not-failed")));
    }
    let mut tx = db.begin_write().await?;
    let entry = Entry::new(Some(me.id), "webhook.retry", Subject::new("webhook", id))
        .after(json!({"delivery": delivery}));
    audit::record(&mut tx, now, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The subscription, or "not found".
pub async fn existing(state: &AppState, id: i64) -> Result<Webhook> {
    store::get(&state.db, id).await?.ok_or(Error::NotFound)
}

fn private(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

async fn api_list(State(state): State<AppState>, ApiCaller(me): ApiCaller) -> Result<Response> {
    require_admin(&me)?;
    let hooks = store::all(&state.db).await?;
    let list: Vec<Value> = hooks.iter().map(webhook_json).collect();
    Ok(private(Json(json!({"webhooks": list})).into_response()))
}

#[derive(Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    url: String,
    events: Vec<String>,
    #[serde(default)]
    description: String,
}

async fn api_create(
    State(state): State<AppState>,
    ApiCaller(me): ApiCaller,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateBody>,
) -> Result<Response> {
    require_admin(&me)?;
    let checked =
        check(&state, &body.url, &body.description, &body.events).map_err(Error::Invalid)?;
    let idem = Idempotency::from_request(
        &headers,
        me.id,
        "POST /api/v1/webhooks",
        &serde_json::to_value(&body).unwrap_or_default(),
    )?;
    let (hook, secret) = match create(&state, &me, &checked, idem.as_ref()).await? {
        Ok(created) => created,
        Err(replayed) => return Ok(private(replayed)),
    };
    let mut answer = webhook_json(&hook);
    answer["secret"] = json!(secret);
    let stored = StoredResponse::created(format!("/api/v1/webhooks/{}", hook.id), &answer);
    Ok(private(stored.into_response()))
}

async fn api_get(
    State(state): State<AppState>,
    ApiCaller(me): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response> {
    require_admin(&me)?;
    let hook = existing(&state, id).await?;
    let (queued, sent, failed) = store::counts(&state.db, id).await?;
    let mut answer = webhook_json(&hook);
    answer["deliveries"] = json!({"queued": queued, "sent": sent, "failed": failed});
    Ok(private(Json(answer).into_response()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateBody {
    url: Option<String>,
    events: Option<Vec<String>>,
    description: Option<String>,
    active: Option<bool>,
}

async fn api_update(
    State(state): State<AppState>,
    ApiCaller(me): ApiCaller,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<UpdateBody>,
) -> Result<Response> {
    require_admin(&me)?;
    let mut hook = existing(&state, id).await?;
    let url = body.url.unwrap_or_else(|| hook.url.clone());
    let description = body.description.unwrap_or_else(|| hook.description.clone());
    let events = body.events.unwrap_or_else(|| hook.event_types());
    let checked = check(&state, &url, &description, &events).map_err(Error::Invalid)?;
    hook.url = checked.url;
    hook.description = checked.description;
    hook.events = checked.events.join(" ");
    if let Some(active) = body.active {
        hook.active = i32::from(active);
    }
    update(&state, &me, &hook).await?;
    let hook = existing(&state, id).await?;
    Ok(private(Json(webhook_json(&hook)).into_response()))
}

async fn api_delete(
    State(state): State<AppState>,
    ApiCaller(me): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response> {
    require_admin(&me)?;
    delete(&state, &me, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn api_rotate(
    State(state): State<AppState>,
    ApiCaller(me): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response> {
    require_admin(&me)?;
    let (secret, until) = rotate(&state, &me, id).await?;
    Ok(private(
        Json(json!({"id": id, "secret": secret, "previous_secret_until": rfc3339(until)}))
            .into_response(),
    ))
}

async fn api_test(
    State(state): State<AppState>,
    ApiCaller(me): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response> {
    require_admin(&me)?;
    let (delivery, msg_id) = send_test(&state, &me, id).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({"delivery": delivery, "webhook_id": msg_id, "status": "queued"})),
    )
        .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeliveryQuery {
    status: Option<String>,
    limit: Option<i64>,
}

async fn api_deliveries(
    State(state): State<AppState>,
    ApiCaller(me): ApiCaller,
    Path(id): Path<i64>,
    Query(q): Query<DeliveryQuery>,
) -> Result<Response> {
    require_admin(&me)?;
    let mut errors = FieldErrors::default();
    let status = q.status.as_deref().filter(|s| !s.is_empty());
    if status.is_some_and(|s| !["queued", "sent", "failed"].contains(&s)) {
        errors.add("status", Msg::new("webhook-error-status"));
    }
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        errors.add("limit", Msg::new("webhook-error-limit"));
    }
    errors.into_result().map_err(Error::Invalid)?;
    existing(&state, id).await?;
    let rows = store::deliveries(&state.db, id, status, limit).await?;
    let list: Vec<Value> = rows.iter().map(delivery_json).collect();
    Ok(private(Json(json!({"deliveries": list})).into_response()))
}

async fn api_retry(
    State(state): State<AppState>,
    ApiCaller(me): ApiCaller,
    Path((id, delivery)): Path<(i64, i64)>,
) -> Result<Response> {
    require_admin(&me)?;
    existing(&state, id).await?;
    retry(&state, &me, id, delivery).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({"status": "queued"}))).into_response())
}

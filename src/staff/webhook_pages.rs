//! The administrators' webhook pages: `/admin/webhooks` (the list and a form to add one) and
//! `/admin/webhooks/{id}` (its settings, "send test", a new secret, and its recent deliveries
//! with each receiver's answer). A secret is shown once, on the page that answers the form that
//! made it, never stored in a page anyone can reload.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::webhooks::{self as admin, Checked, require_admin};
use crate::accounts::auth::StaffUser;
use crate::error::{Error, Result};
use crate::i18n::FieldErrors;
use crate::state::AppState;
use crate::web::csrf::CsrfForm;
use crate::web::page::{PageCtx, render, render_status};
use crate::webhooks::EventType;
use crate::webhooks::store::{self, Delivery, Webhook};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/webhooks", get(list).post(create))
        .route("/admin/webhooks/{id}", get(show).post(save))
        .route("/admin/webhooks/{id}/test", post(test))
        .route("/admin/webhooks/{id}/rotate", post(rotate))
        .route("/admin/webhooks/{id}/delete", post(delete))
        .route(
            "/admin/webhooks/{id}/deliveries/{delivery}/retry",
            post(retry),
        )
}

/// The form's fields as sent: several `events` boxes share one name.
type Fields = Vec<(String, String)>;

fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

fn events_of(fields: &Fields) -> Vec<String> {
    fields
        .iter()
        .filter(|(k, _)| k == "events")
        .map(|(_, v)| v.clone())
        .collect()
}

/// What the form shows: the values sent (or stored) and the event types ticked.
pub struct Form {
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
    pub active: bool,
}

impl Form {
    fn of(hook: &Webhook) -> Form {
        Form {
            url: hook.url.clone(),
            description: hook.description.clone(),
            events: hook.event_types(),
            active: hook.is_active(),
        }
    }

    fn ticked(&self, event_type: &&str) -> bool {
        self.events.iter().any(|e| e == event_type)
    }
}

fn event_types() -> Vec<&'static str> {
    EventType::ALL.iter().map(|t| t.as_str()).collect()
}

#[derive(Template)]
#[template(path = "admin/webhooks.html")]
struct ListPage {
    page: PageCtx,
    hooks: Vec<Webhook>,
    form: Form,
    errors: FieldErrors,
    types: Vec<&'static str>,
    allow_private: bool,
}

impl ListPage {
    fn ticked(&self, event_type: &&str) -> bool {
        self.form.ticked(event_type)
    }
}

#[derive(Template)]
#[template(path = "admin/webhook.html")]
struct ShowPage {
    page: PageCtx,
    hook: Webhook,
    form: Form,
    errors: FieldErrors,
    types: Vec<&'static str>,
    deliveries: Vec<Delivery>,
    counts: (i64, i64, i64),
    /// A secret just made: shown this once.
    secret: Option<String>,
    notice: Option<String>,
}

impl ShowPage {
    fn ticked(&self, event_type: &&str) -> bool {
        self.form.ticked(event_type)
    }

    fn when(&self, ms: &Option<i64>) -> String {
        ms.and_then(chrono::DateTime::from_timestamp_millis)
            .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
            .unwrap_or_default()
    }
}

fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

async fn list(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
) -> Result<Response> {
    require_admin(&me)?;
    let hooks = store::all(&state.db).await?;
    let form = Form {
        url: String::new(),
        description: String::new(),
        events: Vec::new(),
        active: true,
    };
    Ok(no_store(render(&ListPage {
        page,
        hooks,
        form,
        errors: FieldErrors::default(),
        types: event_types(),
        allow_private: state.settings.webhooks.allow_private,
    })))
}

async fn create(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    CsrfForm(fields): CsrfForm<Fields>,
) -> Result<Response> {
    require_admin(&me)?;
    let events = events_of(&fields);
    let (url, description) = (field(&fields, "url"), field(&fields, "description"));
    let checked: Checked = match admin::check(&state, url, description, &events) {
        Ok(c) => c,
        Err(errors) => {
            let hooks = store::all(&state.db).await?;
            let form = Form {
                url: url.to_string(),
                description: description.to_string(),
                events,
                active: true,
            };
            return Ok(no_store(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ListPage {
                    page,
                    hooks,
                    form,
                    errors,
                    types: event_types(),
                    allow_private: state.settings.webhooks.allow_private,
                },
            )));
        }
    };
    let (hook, secret) = match admin::create(&state, &me, &checked, None).await? {
        Ok(created) => created,
        Err(replayed) => return Ok(replayed),
    };
    let notice = Some(page.tr.t("webhook-created"));
    show_page(
        &state,
        page,
        hook,
        Some(secret),
        notice,
        FieldErrors::default(),
        None,
    )
    .await
}

async fn show_page(
    state: &AppState,
    page: PageCtx,
    hook: Webhook,
    secret: Option<String>,
    notice: Option<String>,
    errors: FieldErrors,
    form: Option<Form>,
) -> Result<Response> {
    let deliveries = store::deliveries(&state.db, hook.id, None, 50).await?;
    let counts = store::counts(&state.db, hook.id).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let form = form.unwrap_or_else(|| Form::of(&hook));
    Ok(no_store(render_status(
        status,
        &ShowPage {
            page,
            hook,
            form,
            errors,
            types: event_types(),
            deliveries,
            counts,
            secret,
            notice,
        },
    )))
}

#[derive(serde::Deserialize)]
struct Notice {
    notice: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Path(id): Path<i64>,
    Query(q): Query<Notice>,
) -> Result<Response> {
    require_admin(&me)?;
    let hook = admin::existing(&state, id).await?;
    let notice = match q.notice.as_deref() {
        Some("saved") => Some(page.tr.t("webhook-saved")),
        Some("test") => Some(page.tr.t("webhook-test-queued")),
        Some("retry") => Some(page.tr.t("webhook-retry-queued")),
        _ => None,
    };
    show_page(
        &state,
        page,
        hook,
        None,
        notice,
        FieldErrors::default(),
        None,
    )
    .await
}

async fn save(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Path(id): Path<i64>,
    CsrfForm(fields): CsrfForm<Fields>,
) -> Result<Response> {
    require_admin(&me)?;
    let mut hook = admin::existing(&state, id).await?;
    let events = events_of(&fields);
    let (url, description) = (field(&fields, "url"), field(&fields, "description"));
    let active = field(&fields, "active") == "on";
    match admin::check(&state, url, description, &events) {
        Ok(checked) => {
            hook.url = checked.url;
            hook.description = checked.description;
            hook.events = checked.events.join(" ");
            hook.active = i32::from(active);
            admin::update(&state, &me, &hook).await?;
            Ok(Redirect::to(&format!("/admin/webhooks/{id}?notice=saved")).into_response())
        }
        Err(errors) => {
            let form = Form {
                url: url.to_string(),
                description: description.to_string(),
                events,
                active,
            };
            show_page(&state, page, hook, None, None, errors, Some(form)).await
        }
    }
}

#[derive(serde::Deserialize)]
struct Nothing {}

async fn test(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Nothing>,
) -> Result<Response> {
    require_admin(&me)?;
    admin::send_test(&state, &me, id).await?;
    Ok(Redirect::to(&format!("/admin/webhooks/{id}?notice=test")).into_response())
}

async fn rotate(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Nothing>,
) -> Result<Response> {
    require_admin(&me)?;
    let (secret, _) = admin::rotate(&state, &me, id).await?;
    let hook = admin::existing(&state, id).await?;
    let notice = Some(page.tr.t("webhook-rotated"));
    show_page(
        &state,
        page,
        hook,
        Some(secret),
        notice,
        FieldErrors::default(),
        None,
    )
    .await
}

async fn delete(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Nothing>,
) -> Result<Response> {
    require_admin(&me)?;
    admin::delete(&state, &me, id).await?;
    Ok(Redirect::to("/admin/webhooks").into_response())
}

async fn retry(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    Path((id, delivery)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<Nothing>,
) -> Result<Response> {
    require_admin(&me)?;
    admin::existing(&state, id).await?;
    match admin::retry(&state, &me, id, delivery).await {
        Ok(()) | Err(Error::Conflict(_)) => {}
        Err(err) => return Err(err),
    }
    Ok(Redirect::to(&format!("/admin/webhooks/{id}?notice=retry")).into_response())
}

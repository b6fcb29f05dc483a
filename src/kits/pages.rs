//! The kit downloads: a case's letter and sheet, a campaign's kit, an event's kit. Each answer
//! carries the ETag of its content; a request that already has it gets 304 without a PDF.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::cache::{self, Key};
use super::documents::{Document, Kit};
use super::{Kits, Paper};
use crate::accounts::auth::CurrentUser;
use crate::campaigns::{Campaign, Case, store as campaigns};
use crate::error::{Error, Result};
use crate::events::store as events;
use crate::i18n::{Lang, Msg, Tr};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns/{campaign}/kit.pdf", get(campaign_kit))
        .route(
            "/campaigns/{campaign}/cases/{case}/letter.pdf",
            get(case_letter),
        )
        .route(
            "/campaigns/{campaign}/cases/{case}/sheet.pdf",
            get(case_sheet),
        )
        .route("/events/{id}/kit.pdf", get(event_kit))
}

/// `?lang=`, `?paper=` and (event kits) `?poster=a3`, checked: an unknown value is a clear 400,
/// not a guess.
struct Choice {
    lang: Option<Lang>,
    paper: Option<Paper>,
    poster_a3: bool,
}

fn choice(query: Option<String>) -> Result<Choice> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.as_deref().unwrap_or("")).unwrap_or_default();
    let mut out = Choice {
        lang: None,
        paper: None,
        poster_a3: false,
    };
    for (k, v) in pairs {
        match k.as_str() {
            "lang" if !v.is_empty() => {
                out.lang = Some(Lang::from_code(&v).ok_or_else(|| {
                    Error::BadRequest(
                        Msg::new("kit-lang-unknown").arg("languages", Lang::all_codes()),
                    )
                })?);
            }
            "paper" if !v.is_empty() => {
                out.paper = Some(
                    Paper::parse(&v)
                        .ok_or_else(|| Error::BadRequest(Msg::new("kit-paper-unknown")))?,
                );
            }
            "poster" if !v.is_empty() => {
                if !v.eq_ignore_ascii_case("a3") {
                    return Err(Error::BadRequest(Msg::new("kit-poster-unknown")));
                }
                out.poster_a3 = true;
            }
            _ => {}
        }
    }
    Ok(out)
}

fn browser_paper(headers: &HeaderMap) -> Paper {
    Paper::for_accept_language(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

async fn campaign(state: &AppState, slug: &str, lang: Lang) -> Result<Campaign> {
    campaigns::by_slug(&state.db, slug, lang)
        .await?
        .ok_or(Error::NotFound)
}

/// Who may keep a copy: campaign documents are the same for everyone, event kits are the host's.
#[derive(Clone, Copy)]
enum Audience {
    Public,
    Private,
}

/// Answers with the PDF under `key`, made by `make` unless it is kept already, or with 304 when
/// the request holds it.
async fn serve(
    state: &AppState,
    headers: &HeaderMap,
    key: Key,
    make: impl FnOnce() -> Document,
    lang: Lang,
    filename: String,
    audience: Audience,
) -> Result<Response> {
    let today = state.db.clock.now().date_naive();
    let etag = key.etag();
    if let Some(answer) = from_memory(headers, &etag, lang, &filename, audience)? {
        return Ok(answer);
    }
    let pdf = cache::get_or_make(&etag, make(), today).await?;
    pdf_response(&etag, lang, &filename, audience, pdf)
}

/// The answer for a document whose ETag is known, without its data: 304 when the request holds
/// it, the PDF when it is kept; `None` when it has to be made.
fn from_memory(
    headers: &HeaderMap,
    etag: &str,
    lang: Lang,
    filename: &str,
    audience: Audience,
) -> Result<Option<Response>> {
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        let out = common_headers(etag, lang, audience)?;
        return Ok(Some((StatusCode::NOT_MODIFIED, out).into_response()));
    }
    match cache::cached(etag) {
        Some(pdf) => pdf_response(etag, lang, filename, audience, pdf).map(Some),
        None => Ok(None),
    }
}

fn common_headers(etag: &str, lang: Lang, audience: Audience) -> Result<HeaderMap> {
    let cache_control = match audience {
        Audience::Public => "public, no-cache",
        Audience::Private => "private, no-cache",
    };
    let mut out = HeaderMap::new();
    out.insert(
        header::ETAG,
        HeaderValue::from_str(etag).map_err(anyhow::Error::from)?,
    );
    out.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    out.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.code()),
    );
    Ok(out)
}

fn pdf_response(
    etag: &str,
    lang: Lang,
    filename: &str,
    audience: Audience,
    pdf: Bytes,
) -> Result<Response> {
    let mut out = common_headers(etag, lang, audience)?;
    out.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    out.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
            .map_err(anyhow::Error::from)?,
    );
    Ok((out, pdf).into_response())
}

/// The key of a document from what it is made of, before it is made.
fn key(state: &AppState, kind: &str, lang: Lang, paper: Paper, campaign: &Campaign) -> Key {
    Key::new()
        .part(kind)
        .part(lang.code())
        .part(paper.as_str())
        .part(state.db.clock.now().date_naive().to_string())
        .part(&state.settings.public_url)
        .part(&campaign.title)
}

fn with_cases(mut key: Key, cases: &[Case]) -> Key {
    for case in cases {
        key = key.part(format!("{case:?}"));
    }
    key
}

async fn case_document(
    state: &AppState,
    headers: &HeaderMap,
    page_lang: Lang,
    query: Option<String>,
    slug: &str,
    case_slug: &str,
    which: &str,
) -> Result<Response> {
    let choice = choice(query)?;
    let lang = choice.lang.unwrap_or(page_lang);
    let paper = choice.paper.unwrap_or_else(|| browser_paper(headers));
    let campaign = campaign(state, slug, lang).await?;
    let case: Case = campaigns::case_by_slug(&state.db, campaign.id, case_slug, lang)
        .await?
        .ok_or(Error::NotFound)?;
    let tr = Tr::new(lang);
    let today = state.db.clock.now().date_naive();
    let (title, name) = if which == "letter" {
        (
            tr.t1("kit-title-letter", "name", case.name.as_str()),
            format!(
                "letter-{}-{}-{}.pdf",
                case.slug,
                lang.code(),
                paper.as_str()
            ),
        )
    } else {
        (
            tr.t1("kit-title-sheet", "name", case.name.as_str()),
            format!("case-{}-{}-{}.pdf", case.slug, lang.code(), paper.as_str()),
        )
    };
    let key = with_cases(
        key(state, which, lang, paper, &campaign),
        std::slice::from_ref(&case),
    );
    let make = || {
        let mut kit = Kit::new(lang, paper, today, &campaign, title);
        if which == "letter" {
            kit.letter(&case);
        } else {
            kit.sheet(&case);
            kit.card(&case);
        }
        kit.finish()
    };
    serve(state, headers, key, make, lang, name, Audience::Public).await
}

async fn case_letter(
    State(state): State<AppState>,
    page_lang: Lang,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    Path((slug, case_slug)): Path<(String, String)>,
) -> Result<Response> {
    case_document(
        &state, &headers, page_lang, query, &slug, &case_slug, "letter",
    )
    .await
}

async fn case_sheet(
    State(state): State<AppState>,
    page_lang: Lang,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    Path((slug, case_slug)): Path<(String, String)>,
) -> Result<Response> {
    case_document(
        &state, &headers, page_lang, query, &slug, &case_slug, "sheet",
    )
    .await
}

async fn campaign_kit(
    State(state): State<AppState>,
    page_lang: Lang,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    Path(slug): Path<String>,
) -> Result<Response> {
    let choice = choice(query)?;
    let lang = choice.lang.unwrap_or(page_lang);
    let paper = choice.paper.unwrap_or_else(|| browser_paper(&headers));
    let today = state.db.clock.now().date_naive();
    let name = format!("{slug}-kit-{}-{}.pdf", lang.code(), paper.as_str());
    // The kit everyone downloads on the global day: its ETag is remembered for a second (and
    // forgotten at once when this process changes a campaign or case), so a 304 or a kept kit
    // costs no query.
    let recent = &state.service::<Kits>().recent;
    let memo = format!(
        "{slug}|{}|{}|{today}|{}",
        lang.code(),
        paper.as_str(),
        campaigns::generation()
    );
    if let Some(etag) = recent.get(&memo)
        && let Some(answer) = from_memory(&headers, &etag, lang, &name, Audience::Public)?
    {
        return Ok(answer);
    }
    let campaign = campaign(&state, &slug, lang).await?;
    let cases = campaigns::cases(&state.db, campaign.id, lang).await?;
    let key = with_cases(key(&state, "campaign", lang, paper, &campaign), &cases);
    recent.insert(memo, key.clone().etag());
    let make = || {
        let title = Tr::new(lang).t1("kit-title-campaign", "campaign", campaign.title.as_str());
        let mut kit = Kit::new(lang, paper, today, &campaign, title);
        kit.cases(&cases);
        kit.finish()
    };
    serve(&state, &headers, key, make, lang, name, Audience::Public).await
}

/// The event's kit: its host and staff of its country only. To anyone else a private event does
/// not exist (404); a public one exists but its kit is not theirs (403).
async fn event_kit(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    page_lang: Lang,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    Path(id): Path<String>,
) -> Result<Response> {
    let id: i64 = id.parse().map_err(|_| Error::NotFound)?;
    let event = events::get(&state.db, id).await?.ok_or(Error::NotFound)?;
    if !viewer.as_ref().is_some_and(|a| event.can_manage(a)) {
        return Err(if event.is_public_listing() {
            Error::Forbidden
        } else {
            Error::NotFound
        });
    }
    let choice = choice(query)?;
    let lang = choice
        .lang
        .or_else(|| Lang::from_code(&event.language))
        .unwrap_or(page_lang);
    let paper = choice
        .paper
        .unwrap_or_else(|| Paper::for_country(&event.country));
    let campaign = campaigns::by_id(&state.db, event.campaign_id, lang)
        .await?
        .ok_or(Error::NotFound)?;
    let cases = campaigns::cases(&state.db, campaign.id, lang).await?;
    let today = state.db.clock.now().date_naive();
    let key = with_cases(key(&state, "event", lang, paper, &campaign), &cases)
        .part(format!("{event:?}"))
        .part(if choice.poster_a3 { "poster-a3" } else { "" });
    let base = state.settings.public_url.as_str();
    let make = || {
        let title = Tr::new(lang).t1("kit-title-event", "title", event.title.as_str());
        let mut kit = Kit::new(lang, paper, today, &campaign, title);
        kit.event(&event, base, choice.poster_a3);
        kit.cases(&cases);
        kit.finish()
    };
    let name = format!(
        "event-{}-kit-{}-{}{}.pdf",
        event.id,
        lang.code(),
        paper.as_str(),
        if choice.poster_a3 { "-poster-a3" } else { "" }
    );
    serve(&state, &headers, key, make, lang, name, Audience::Private).await
}

//! The recap as the public reads it (`/campaigns/{campaign}/recap`) and prints it
//! (`/campaigns/{campaign}/recap.pdf`, typeset like the kits). Before it is published it is a
//! draft that only staff see; anyone else is told there is no such page.

use std::time::Duration;

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::map::Map;
use super::print;
use super::store::{self, RecapRow};
use super::view::{CountryLine, Recap, Regions};
use crate::accounts::auth::CurrentUser;
use crate::campaigns::store as campaigns;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::state::AppState;
use crate::web::cache::{TtlCache, ttl_cache};
use crate::web::page::{PageCtx, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns/{campaign}/recap", get(recap_page))
        .route("/campaigns/{campaign}/recap.pdf", get(recap_pdf))
}

#[derive(Template)]
#[template(path = "recap/recap.html")]
struct RecapPage {
    page: PageCtx,
    recap: Recap,
    draft: bool,
    can_edit: bool,
}

impl RecapPage {
    /// A map's legend: each class's fill and "N or more".
    fn legend(&self, map: &Map) -> Vec<(&'static str, String)> {
        map.legend
            .iter()
            .map(|(fill, from)| {
                let from = self.page.number(*from);
                (*fill, self.page.tr.t1("recap-legend-from", "count", from))
            })
            .collect()
    }

    /// "events in 9 of 13 regions", for a country with regions in the gazetteer.
    fn country_regions(&self, c: &CountryLine) -> String {
        self.page.msg(
            &Msg::new("recap-country-regions")
                .arg("with", c.regions_with.len())
                .arg("all", c.regions_of),
        )
    }

    fn regions_line(&self, r: &Regions) -> String {
        self.page.msg(
            &Msg::new("recap-regions-line")
                .arg("country", r.name.as_str())
                .arg("with", r.rows.len())
                .arg("all", r.rows.len() + r.none_yet.len()),
        )
    }
}

/// Published recaps as rendered, per campaign and language: the page reads the whole tally, and
/// a recap is shared widely the day it is published. Changes here forget them at once; a new
/// report shows within the time to live. One per process (a service of the state).
pub struct RecapPages(TtlCache<(i64, &'static str), Bytes>);

impl Default for RecapPages {
    fn default() -> Self {
        RecapPages(ttl_cache(Duration::from_secs(30), 256))
    }
}

impl RecapPages {
    /// Forgets a campaign's rendered recaps (after staff change or publish it).
    pub fn forget(&self, campaign_id: i64) {
        for lang in crate::i18n::Lang::ALL {
            self.0.invalidate(&(campaign_id, lang.code()));
        }
    }
}

impl AppState {
    /// This process's rendered recaps.
    pub fn recap_pages(&self) -> &RecapPages {
        self.service()
    }
}

/// The recap of `slug` if this viewer may read it: (recap settings, whether it is a draft).
async fn visible(
    state: &AppState,
    slug: &str,
    staff: bool,
    page: &PageCtx,
) -> Result<(crate::campaigns::Campaign, RecapRow, bool)> {
    let campaign = campaigns::by_slug(&state.db, slug, page.lang)
        .await?
        .ok_or(Error::NotFound)?;
    let row = store::get(&state.db, campaign.id)
        .await?
        .unwrap_or_default();
    let draft = row.published_at.is_none();
    if draft && !staff {
        return Err(Error::NotFound);
    }
    Ok((campaign, row, draft))
}

async fn recap_page(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    page: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response> {
    let staff = viewer.as_ref().is_some_and(|a| a.is_staff());
    let can_edit = viewer.as_ref().is_some_and(|a| a.can_manage_campaigns());
    let (campaign, row, draft) = visible(&state, &slug, staff, &page).await?;
    let key = (campaign.id, page.lang.code());
    if !staff && let Some(body) = state.recap_pages().0.get(&key) {
        return Ok(html(body, false));
    }
    let lang = page.lang;
    let recap = Recap::build(&state, campaign, row, lang).await?;
    let rendered = render(&RecapPage {
        page,
        recap,
        draft,
        can_edit,
    });
    let (parts, body) = rendered.into_parts();
    if parts.status != StatusCode::OK {
        return Ok(Response::from_parts(parts, body));
    }
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(|e| Error::Internal(e.into()))?;
    if !staff {
        state.recap_pages().0.insert(key, body.clone());
    }
    // A staff member's view may be a draft, and has the staff's links: no shared cache keeps it.
    Ok(html(body, staff))
}

fn html(body: Bytes, private: bool) -> Response {
    let cache = if private {
        "private, no-store"
    } else {
        "public, max-age=60"
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        body,
    )
        .into_response()
}

async fn recap_pdf(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    page: PageCtx,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let staff = viewer.as_ref().is_some_and(|a| a.is_staff());
    let (campaign, row, draft) = visible(&state, &slug, staff, &page).await?;
    let lang = page.lang;
    let recap = Recap::build(&state, campaign, row, lang).await?;
    let today = state.db.clock.today();
    let (doc, etag) = print::document(&recap, lang, today, &state.settings.public_url);
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
    {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    let pdf = crate::kits::cache::get_or_make(&etag, doc, today).await?;
    let cache = if draft {
        "private, no-store"
    } else {
        "public, max-age=300"
    };
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{slug}-recap-{}.pdf\"", lang.code()),
            ),
            (header::CACHE_CONTROL, cache.to_string()),
            (header::ETAG, etag),
        ],
        pdf,
    )
        .into_response())
}

//! The public tally page (tables and server-rendered SVG bar charts, live numbers with
//! JavaScript) and the embeddable counter for partners' sites.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::get;

use super::Tally;
use crate::campaigns::{Campaign, store as campaigns};
use crate::error::{Error, Result};
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use crate::web::page::{PageCtx, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns/{campaign}/tally", get(tally_page))
        .route("/embed/{campaign}/counter", get(embed_counter))
}

/// One bar of a chart: its label, value and length as a share of the longest.
pub struct Bar {
    pub label: String,
    pub value: i64,
    pub percent: f64,
}

pub fn bars(items: Vec<(String, i64)>, limit: usize) -> Vec<Bar> {
    let max = items.iter().map(|i| i.1).max().unwrap_or(0).max(1);
    items
        .into_iter()
        .take(limit)
        .map(|(label, value)| Bar {
            label,
            value,
            percent: (value as f64 * 100.0 / max as f64).max(0.5),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "tally/page.html")]
struct TallyPage {
    page: PageCtx,
    campaign: Campaign,
    tally: Tally,
    countries: Vec<Bar>,
    regions: Vec<Bar>,
    cases: Vec<Bar>,
    kinds: Vec<Bar>,
    public_url: String,
}

async fn tally_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response> {
    let campaign = campaigns::by_slug(&state.db, &slug, page.lang)
        .await?
        .ok_or(Error::NotFound)?;
    let tally = state
        .tally()
        .snapshot(campaign.id, &campaign.slug)
        .await?
        .tally
        .clone();
    let lang = page.lang;
    let countries = bars(
        tally
            .by_country
            .iter()
            .map(|c| (page.country(&c.country), c.letters + c.solidarity))
            .collect(),
        15,
    );
    let regions = bars(
        tally
            .by_region
            .iter()
            .map(|r| {
                (
                    crate::geo::region_name(&r.region, lang)
                        .unwrap_or(&r.region)
                        .to_string(),
                    r.letters + r.solidarity,
                )
            })
            .collect(),
        15,
    );
    let cases = bars(
        tally
            .by_case
            .iter()
            .map(|c| (c.name.clone(), c.letters + c.solidarity))
            .collect(),
        20,
    );
    let kinds = bars(
        tally
            .by_kind
            .iter()
            .map(|k| (page.label("kind", &k.kind), k.letters + k.solidarity))
            .collect(),
        12,
    );
    let public_url = state.settings.public_url.clone();
    Ok(render(&TallyPage {
        page,
        campaign,
        tally,
        countries,
        regions,
        cases,
        kinds,
        public_url,
    }))
}

#[derive(Template)]
#[template(path = "tally/embed.html")]
struct EmbedCounter {
    lang: Lang,
    tr: Tr,
    campaign: Campaign,
    number: String,
    stylesheet: String,
    script: String,
}

/// A tiny counter page any site may frame: no cookies, no session lookup.
async fn embed_counter(
    State(state): State<AppState>,
    lang: Lang,
    Path(slug): Path<String>,
) -> Result<Response> {
    let campaign = campaigns::by_slug(&state.db, &slug, lang)
        .await?
        .ok_or(Error::NotFound)?;
    let snapshot = state.tally().snapshot(campaign.id, &campaign.slug).await?;
    let letters = snapshot.tally.totals.letters + snapshot.tally.totals.solidarity;
    let page = PageCtx {
        lang,
        tr: Tr::new(lang),
        csrf: String::new(),
        user: None,
        here: String::new(),
    };
    let number = page.number(letters);
    let mut response = render(&EmbedCounter {
        lang,
        tr: Tr::new(lang),
        campaign,
        number,
        stylesheet: crate::web::assets::url("embed.css"),
        script: crate::web::assets::url("tally.js"),
    });
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-ancestors *; base-uri 'none'",
        ),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=5"),
    );
    h.insert("x-no-csrf-cookie", HeaderValue::from_static("1"));
    Ok(response)
}

//! The finder's HTML page: the form, the results with their RSVP numbers, the map, and a link to
//! the next page.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;

use super::{DEFAULT_RADIUS_KM, FinderParams, Found, Search, blank};
use crate::campaigns::{Campaign, store as campaigns};
use crate::error::{Error, Result};
use crate::events::{Event, KINDS, RsvpCounts, store};
use crate::i18n::FieldErrors;
use crate::state::AppState;
use crate::web::page::{PageCtx, render_status};

pub fn router() -> Router<AppState> {
    Router::new().route("/campaigns/{campaign}/events", get(finder_page))
}

#[derive(Template)]
#[template(path = "events/finder.html")]
struct FinderPage {
    page: PageCtx,
    campaign: Campaign,
    params: FinderParams,
    search: Option<Search>,
    errors: FieldErrors,
    results: Vec<(Found, RsvpCounts)>,
    next_url: Option<String>,
    kinds: [&'static str; 12],
    radii: [i64; 6],
    /// The map's tile template; `None`: no tiles, country outlines only.
    tiles: Option<String>,
}

impl FinderPage {
    fn selected(&self, value: &Option<String>, option: &str) -> bool {
        value.as_deref() == Some(option)
    }

    fn radius_selected(&self, r: &i64) -> bool {
        match blank(&self.params.radius_km) {
            Some(v) => v.parse::<f64>().ok() == Some(*r as f64),
            None => *r as f64 == DEFAULT_RADIUS_KM,
        }
    }

    fn distance(&self, km: &f64) -> String {
        if *km < 10.0 {
            format!("{km:.1} km")
        } else {
            format!("{km:.0} km")
        }
    }

    fn when(&self, event: &Event) -> String {
        let start = event.local_start();
        format!(
            "{}, {}",
            self.page.date(start.date_naive()),
            start.format("%H:%M")
        )
    }
}

async fn finder_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(slug): Path<String>,
    Query(params): Query<FinderParams>,
) -> Result<Response> {
    let campaign = campaigns::by_slug(&state.db, &slug, page.lang)
        .await?
        .ok_or(Error::NotFound)?;
    let visitor_country = None;
    let (search, errors) = match params.check(visitor_country) {
        Ok(s) => (Some(s), FieldErrors::default()),
        Err(e) => (None, e),
    };
    let mut results = Vec::new();
    let mut next_url = None;
    if let Some(s) = &search {
        let found = super::search(&state.db, campaign.id, s).await?;
        let ids: Vec<i64> = found.results.iter().map(|f| f.event.id).collect();
        let counts = store::counts_for(&state.db, &ids).await?;
        if let Some(cursor) = found.next {
            let mut next = params.clone();
            next.cursor = Some(cursor.encode());
            next_url = Some(format!(
                "/campaigns/{}/events?{}",
                campaign.slug,
                serde_urlencoded::to_string(query_pairs(&next)).unwrap_or_default()
            ));
        }
        results = found
            .results
            .into_iter()
            .map(|f| {
                let c = counts.get(&f.event.id).copied().unwrap_or_default();
                (f, c)
            })
            .collect();
    }
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &FinderPage {
            page,
            campaign,
            params,
            search,
            errors,
            results,
            next_url,
            kinds: KINDS,
            radii: [5, 10, 25, 50, 100, 250],
            tiles: state.settings.tile_url.clone(),
        },
    ))
}

/// The non-empty parameters, for the "next page" link.
fn query_pairs(p: &FinderParams) -> Vec<(&'static str, String)> {
    let fields: [(&'static str, &Option<String>); 16] = [
        ("place", &p.place),
        ("near", &p.near),
        ("lat", &p.lat),
        ("lon", &p.lon),
        ("radius_km", &p.radius_km),
        ("q", &p.q),
        ("kind", &p.kind),
        ("country", &p.country),
        ("region", &p.region),
        ("from", &p.from),
        ("to", &p.to),
        ("step_free", &p.step_free),
        ("language", &p.language),
        ("sort", &p.sort),
        ("limit", &p.limit),
        ("cursor", &p.cursor),
    ];
    fields
        .into_iter()
        .filter_map(|(k, v)| blank(v).map(|v| (k, v.to_string())))
        .collect()
}

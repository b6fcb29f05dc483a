//! A campaign's dashboard, in the reader's scope: events registered day by day, letters reported
//! day by day (each a chart drawn on the server with its table), the counts staff watch (reports
//! in, RSVPs, open flags, unlikely reports, mail given up on, events still unreported), and the
//! events per region with the regions that have none yet, the goal being "every province".

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::get;

use super::chart::{self, Day};
use super::figures::Tallies;
use super::store::{self, ReportCounts};
use super::{Params, campaign, country_scope, param, sees_all};
use crate::accounts::auth::StaffUser;
use crate::campaigns::Campaign;
use crate::error::Result;
use crate::state::AppState;
use crate::web::page::{PageCtx, render};

pub fn router() -> Router<AppState> {
    Router::new().route("/staff/campaigns/{campaign}/dashboard", get(page))
}

/// A place and its events.
struct Place {
    code: String,
    name: String,
    events: i64,
}

#[derive(Template)]
#[template(path = "staff/dashboard.html")]
struct DashboardPage {
    page: PageCtx,
    campaign: Campaign,
    country: Option<String>,
    sees_all: bool,
    /// The reports' numbers: the tally's counters, as of now.
    reports: ReportCounts,
    /// The events' numbers: counted at most a few seconds ago (`figures`).
    tallies: Tallies,
    events_days: Vec<Day>,
    events_chart: String,
    letters_days: Vec<Day>,
    letters_chart: String,
    /// Per region of the country, or per country for a reader of all.
    places: Vec<Place>,
    /// The country's regions with no event yet.
    none_yet: Vec<String>,
}

impl DashboardPage {
    fn query(&self) -> String {
        self.country
            .as_ref()
            .map(|c| format!("?country={c}"))
            .unwrap_or_default()
    }

    fn bom_query(&self) -> String {
        match &self.country {
            Some(c) => format!("?country={c}&bom=1"),
            None => "?bom=1".into(),
        }
    }
}

async fn page(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Path(slug): Path<String>,
    Query(params): Query<Params>,
) -> Result<Response> {
    super::only_known(&params, &["country"])?;
    let country = country_scope(&me, param(&params, "country")?)?;
    let campaign = campaign(&state, &slug, page.lang).await?;
    let db = &state.db;
    let scope = country.as_deref();
    let reports = store::report_counts(db, campaign.id, scope).await?;
    let figures = state.dashboards().figures(db, campaign.id).await?;
    let tallies = figures.tallies(scope);

    let events_days = chart::days(&figures.registered(scope));
    let most = events_days.iter().map(|d| d.value).max().unwrap_or(0);
    let events_chart = chart::bars(
        "events-chart",
        &page.tr.t("staff-dashboard-events-chart"),
        &page.tr.t1("staff-dashboard-chart-most", "count", most),
        &events_days,
    );
    let letters_days = chart::days(&store::letters_by_day(db, campaign.id, scope).await?);
    let most = letters_days.iter().map(|d| d.value).max().unwrap_or(0);
    let letters_chart = chart::bars(
        "letters-chart",
        &page.tr.t("staff-dashboard-letters-chart"),
        &page.tr.t1("staff-dashboard-chart-most", "count", most),
        &letters_days,
    );

    let mut places: Vec<Place> = figures
        .places(scope)
        .iter()
        .map(|(code, events)| {
            let code = code.clone().unwrap_or_default();
            let name = match scope {
                Some(_) if code.is_empty() => page.tr.t("staff-dashboard-no-region"),
                Some(_) => crate::geo::region_name(&code, page.lang)
                    .unwrap_or(&code)
                    .to_string(),
                None => page.country(&code),
            };
            Place {
                code,
                name,
                events: *events,
            }
        })
        .collect();
    places.sort_by(|a, b| b.events.cmp(&a.events).then(a.name.cmp(&b.name)));
    let none_yet = match scope {
        Some(c) => crate::geo::regions_of(c, page.lang)
            .into_iter()
            .filter(|(code, _)| !places.iter().any(|p| p.code == *code))
            .map(|(_, name)| name.to_string())
            .collect(),
        None => Vec::new(),
    };

    let mut response = render(&DashboardPage {
        page,
        campaign,
        country,
        sees_all: sees_all(&me),
        reports,
        tallies,
        events_days,
        events_chart,
        letters_days,
        letters_chart,
        places,
        none_yet,
    });
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}

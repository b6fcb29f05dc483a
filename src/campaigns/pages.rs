//! Public pages: the list of campaigns, a campaign's home and a case page.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use axum::routing::get;

use super::{Campaign, Case, CaseUpdate, store};
use crate::error::{Error, Result};
use crate::state::AppState;
use crate::web::markdown::to_safe_html;
use crate::web::page::{PageCtx, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/campaigns/{campaign}", get(campaign_home))
        .route("/campaigns/{campaign}/cases/{case}", get(case_page))
}

#[derive(Template)]
#[template(path = "campaigns/home.html")]
struct HomePage {
    page: PageCtx,
    /// Each campaign with whether its event window is open today.
    campaigns: Vec<(Campaign, bool)>,
}

async fn home(State(state): State<AppState>, page: PageCtx) -> Result<Response> {
    let today = state.db.clock.now().date_naive();
    let campaigns = store::list(&state.db, page.lang)
        .await?
        .into_iter()
        .map(|c| {
            let open = c.events_open(today);
            (c, open)
        })
        .collect();
    Ok(render(&HomePage { page, campaigns }))
}

#[derive(Template)]
#[template(path = "campaigns/campaign.html")]
struct CampaignPage {
    page: PageCtx,
    campaign: Campaign,
    intro_html: String,
    cases: Vec<Case>,
    days: i64,
    /// Letters and solidarity messages so far.
    written: i64,
    /// The latest good news of a case: its slug, name and update.
    good_news: Option<(String, String, super::CaseUpdate)>,
    /// Whether staff have published the recap (its link is shown then).
    recap_published: bool,
}

impl CampaignPage {
    fn countdown(&self) -> String {
        let tr = &self.page.tr;
        match self.days {
            d if d > 0 => tr.t1("campaign-days-until", "count", d),
            0 => tr.t("campaign-today"),
            _ => tr.t1(
                "campaign-was-on",
                "date",
                self.page.date(self.campaign.global_day),
            ),
        }
    }
}

pub async fn find_campaign(state: &AppState, slug: &str, page: &PageCtx) -> Result<Campaign> {
    store::by_slug(&state.db, slug, page.lang)
        .await?
        .ok_or(Error::NotFound)
}

async fn campaign_home(
    State(state): State<AppState>,
    page: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response> {
    let campaign = find_campaign(&state, &slug, &page).await?;
    let cases = store::cases(&state.db, campaign.id, page.lang).await?;
    let days = campaign.days_until_global_day(state.db.clock.now().date_naive());
    let intro_html = to_safe_html(&campaign.intro);
    let totals = state
        .tally()
        .snapshot(campaign.id, &campaign.slug)
        .await?
        .tally
        .totals
        .clone();
    let written = totals.letters + totals.solidarity;
    let good_news = store::latest_good_news(&state.db, campaign.id).await?;
    let recap_published = store::recap_published(&state.db, campaign.id).await?;
    Ok(render(&CampaignPage {
        page,
        campaign,
        intro_html,
        cases,
        days,
        written,
        good_news,
        recap_published,
    }))
}

#[derive(Template)]
#[template(path = "campaigns/case.html")]
struct CasePage {
    page: PageCtx,
    campaign: Campaign,
    case: Case,
    summary_html: String,
    updates: Vec<CaseUpdate>,
    /// The case takes online actions (`actions`): the form is shown, with this country
    /// chosen (the region of the browser's language, or none).
    act_open: bool,
    act_country: String,
    /// The campaign is over for actions: say so where the form was.
    act_closed_notice: bool,
}

async fn case_page(
    State(state): State<AppState>,
    page: PageCtx,
    headers: HeaderMap,
    Path((slug, case_slug)): Path<(String, String)>,
) -> Result<Response> {
    let campaign = find_campaign(&state, &slug, &page).await?;
    let case = store::case_by_slug(&state.db, campaign.id, &case_slug, page.lang)
        .await?
        .ok_or(Error::NotFound)?;
    let updates = store::updates(&state.db, case.id, page.lang).await?;
    let summary_html = to_safe_html(&case.text.summary);
    let act_open = case.takes_actions(&campaign, state.db.clock.now().date_naive());
    let act_country = crate::geo::country_from_accept_language(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
    .unwrap_or_default()
    .to_string();
    Ok(render(&CasePage {
        page,
        act_closed_notice: !act_open,
        campaign,
        case,
        summary_html,
        updates,
        act_open,
        act_country,
    }))
}

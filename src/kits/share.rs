//! The tally's share card (`/campaigns/{campaign}/tally/share.png?lang=`): the live count on a
//! 1200×630 PNG, the image social networks show when the tally page is shared (its Open Graph and
//! Twitter card tags name it). Laid out by the kits' typesetter (`share.typ`) and rasterised by
//! typst-render; made at most once a minute per campaign and language, whatever the traffic, and
//! sent with a minute's cache lifetime. It shows only public totals.

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::Mutex;

use super::typeset::{self, FAMILIES};
use crate::campaigns::store as campaigns;
use crate::error::{Error, Result};
use crate::i18n::{Lang, Msg, Tr, group_digits};
use crate::state::AppState;

/// How long a made card is served: "the live count", a minute old at most.
const FRESH_MS: i64 = 60_000;

/// The share cards this app made, by (campaign, language): the minute each was made in and the
/// PNG. A few campaigns times a few languages. An async mutex, held while a card is made, so a
/// minute's first requests wait for one build instead of each making their own.
#[derive(Default)]
pub struct ShareCards(Mutex<HashMap<(i64, Lang), (i64, Bytes)>>);

pub fn router() -> Router<AppState> {
    Router::new().route("/campaigns/{campaign}/tally/share.png", get(share_card))
}

async fn share_card(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.as_deref().unwrap_or("")).unwrap_or_default();
    let lang = match pairs.iter().find(|(k, v)| k == "lang" && !v.is_empty()) {
        Some((_, code)) => Lang::from_code(code).ok_or_else(|| {
            Error::BadRequest(Msg::new("kit-lang-unknown").arg("languages", Lang::all_codes()))
        })?,
        None => Lang::FALLBACK,
    };
    let campaign = campaigns::by_slug(&state.db, &slug, lang)
        .await?
        .ok_or(Error::NotFound)?;
    let minute = state.db.now_ms() / FRESH_MS;
    let mut cards = state.service::<super::Kits>().share.0.lock().await;
    let png = match cards.get(&(campaign.id, lang)) {
        Some((made, png)) if *made == minute => png.clone(),
        _ => {
            let tally = state
                .tally()
                .snapshot(campaign.id, &campaign.slug)
                .await?
                .tally
                .clone();
            let tr = Tr::new(lang);
            let totals = &tally.totals;
            let site = state.settings.public_url.clone();
            let data = serde_json::json!({
                "families": FAMILIES,
                "lang": lang.code(),
                "campaign": campaign.title,
                "letters": group_digits(totals.letters, lang),
                "letters_label": tr.t("tally-letters"),
                "solidarity": group_digits(totals.solidarity, lang),
                "solidarity_label": tr.t("tally-solidarity"),
                "facts": tr.msg(&Msg::new("share-facts")
                    .arg("events", totals.events_reported)
                    .arg("countries", totals.countries)),
                "site": site.split("://").nth(1).unwrap_or(&site).trim_end_matches('/'),
            });
            let today = state.db.clock.today();
            let png = tokio::task::spawn_blocking(move || typeset::share_png(&data, today))
                .await
                .map_err(|e| Error::Internal(e.into()))??;
            let png = Bytes::from(png);
            cards.insert((campaign.id, lang), (minute, png.clone()));
            png
        }
    };
    drop(cards);
    let mut response = png.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    Ok(response)
}

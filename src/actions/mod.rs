//! Online actions: anyone signs for a case on the web (name, email, country, an optional message,
//! "tell me what happens"), with no account. An action counts only once its email is confirmed,
//! once per email per case; the confirmation moves the tally (`online`) in its own transaction.
//!
//! - `pages`: the form on the case page and its answer, "act on all cases", the confirmation
//!   link (GET shows a button, POST confirms, so a mail scanner following links confirms
//!   nothing);
//! - `api`: `POST /api/v1/campaigns/{campaign}/cases/{case}/actions` and the staff's CSV;
//! - `committer`: group commit of new actions and confirmations, like the reports' committer:
//!   many to a transaction, each caller answered after the commit;
//! - `mail`: the confirmation message; `staff`: clusters, invalidation, delivery;
//! - `store`: all the SQL.
//!
//! No oracle: whatever state an email is in (new, pending, confirmed, invalidated), the answer to
//! an action is the same bytes, given after the same kind of commit.

pub mod abuse;
pub mod api;
pub mod committer;
pub mod mail;
pub mod pages;
pub mod staff;
pub mod store;

use axum::Router;
use serde::Deserialize;

use std::net::IpAddr;

use crate::accounts::parse_email;
use crate::campaigns::{Campaign, Case};
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::i18n::{FieldErrors, Lang};
use crate::outbox;
use crate::secret::{random_token, secret_hash};
use crate::state::AppState;
use crate::web::forms;

pub use committer::{Committer, Confirmed, NewAction};

impl AppState {
    /// The committer this process's handlers send actions and confirmations through.
    pub fn actions(&self) -> &Committer {
        self.service()
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(pages::router())
        .merge(api::router())
        .merge(staff::router())
}

/// Longest personal message, in characters.
pub const MESSAGE_MAX: usize = 1000;
/// Unconfirmed actions and unused links are deleted after this long.
pub const PENDING_FOR_MS: i64 = 30 * 24 * 3_600_000;
/// A repeated action before confirmation re-sends at most one mail per this long.
pub const REMAIL_EVERY_MS: i64 = 3_600_000;

/// What someone typed into the form or sent to the API, before checking.
#[derive(Clone, Debug, Default, Deserialize, serde::Serialize)]
pub struct ActionFields {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub message: Option<String>,
    /// "Tell me what happens": a checkbox (`on`) in the form, a boolean in the API.
    #[serde(default, deserialize_with = "flag")]
    pub updates: Option<bool>,
    #[serde(default)]
    pub language: Option<String>,
}

/// A checkbox's `on`, or a JSON boolean.
fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Text(String),
    }
    Ok(match Option::<Flag>::deserialize(d)? {
        None => None,
        Some(Flag::Bool(b)) => Some(b),
        Some(Flag::Text(t)) => Some(matches!(t.as_str(), "on" | "true" | "1" | "yes")),
    })
}

/// An action that passed every check.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionInput {
    pub name: String,
    /// Lower-cased.
    pub email: String,
    pub country: String,
    pub message: String,
    pub updates: bool,
    pub language: Lang,
}

impl ActionInput {
    /// The part after the `@`: rate limits count per domain, staff see throwaway ones.
    pub fn domain(&self) -> &str {
        self.email.rsplit('@').next().unwrap_or_default()
    }

    /// Whether the domain is a known throwaway inbox (`disposable-emails`' list).
    pub fn disposable(&self) -> bool {
        disposable_emails::is_disposable_domain(self.domain())
    }
}

impl ActionFields {
    /// Checks every field; `lang` is the page's language when none is sent.
    pub fn check(&self, lang: Lang) -> Result<ActionInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = forms::line(&mut e, "name", &self.name, 1, 80);
        let email = parse_email(&mut e, "email", &self.email);
        let country = forms::country(&mut e, "country", &self.country);
        let message = forms::text(
            &mut e,
            "message",
            self.message.as_deref().unwrap_or_default(),
            0,
            MESSAGE_MAX,
        );
        let language = match self.language.as_deref().map(str::trim) {
            None | Some("") => lang,
            Some(code) => match Lang::from_code(code) {
                Some(l) => l,
                None => {
                    e.add("language", crate::i18n::Msg::new("field-choice"));
                    lang
                }
            },
        };
        e.into_result()?;
        Ok(ActionInput {
            name,
            email,
            country,
            message,
            updates: self.updates.unwrap_or(false),
            language,
        })
    }
}

/// Hex digits of a link token's selector: the time it was made (milliseconds, 12 digits) and 4
/// random ones.
const SELECTOR_LEN: usize = 16;
/// Characters of `secret::random_token`: 32 bytes in unpadded base64.
const VERIFIER_LEN: usize = 43;

/// A new confirmation link's token: a selector that orders links by time, then a random
/// verifier (`secret::random_token`).
pub fn link_token(now: i64) -> String {
    format!(
        "{:012x}{:04x}{}",
        now.max(0),
        rand::random::<u16>(),
        random_token()
    )
}

/// What is stored of a link's token and looked up by: the selector as it is, then the hash of
/// the verifier. Stored keys then grow with time, so each new link is written at the end of
/// the links' index, not on a random page of it (BENCHMARKS.md, online actions). A token of
/// any other shape (links mailed before selectors, or forged) is hashed whole.
pub fn link_key(token: &str) -> String {
    match token.split_at_checked(SELECTOR_LEN) {
        Some((selector, verifier))
            if token.len() == SELECTOR_LEN + VERIFIER_LEN
                && selector.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            format!("{selector}{}", secret_hash(verifier))
        }
        _ => secret_hash(token),
    }
}

/// Checks an action on `cases` of `campaign` and commits it: fields (422), open cases (409),
/// the sender's and domain's limits and any challenge due (429). `Ok` once it is durably stored,
/// whatever state the email was in.
pub async fn take(
    state: &AppState,
    campaign: &Campaign,
    cases: &[Case],
    fields: &ActionFields,
    solution: Option<&str>,
    lang: Lang,
    ip: IpAddr,
) -> Result<()> {
    let input = fields.check(lang).map_err(Error::Invalid)?;
    let today = state.db.clock.now().date_naive();
    if cases.is_empty() || !cases.iter().all(|c| c.takes_actions(campaign, today)) {
        return Err(Error::Conflict(Msg::new("action-closed")));
    }
    let admission =
        abuse::admission(state, ip, input.domain(), input.disposable(), solution).await?;
    let secret = state.actions().secret(&state.db).await?;
    // The mail is composed here, on whichever core serves the request; the committer only
    // decides whether it is due.
    let now = state.db.now_ms();
    let token = link_token(now);
    let letter = mail::confirmation(&state.settings, campaign, cases, &input, &token, now);
    let mail = outbox::compose(now, &state.settings.mail.from, letter)
        .map(|message| (message, link_key(&token)));
    let action = NewAction {
        campaign_id: campaign.id,
        cases: cases.iter().map(|c| c.id).collect(),
        ip_net: abuse::network_of(&secret, ip),
        input,
        admission,
        mail,
    };
    state.actions().act(action).await?;
    tracing::info!(
        campaign_id = campaign.id,
        cases = cases.len(),
        "online action"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> ActionFields {
        ActionFields {
            name: "Ana".into(),
            email: " Ana@Example.ORG ".into(),
            country: "ca".into(),
            message: Some("Free them.".into()),
            updates: Some(true),
            language: None,
        }
    }

    #[test]
    fn link_keys_grow_with_time_and_keep_no_verifier() {
        let (early, late) = (link_token(1_765_000_000_000), link_token(1_765_000_000_001));
        assert!(link_key(&early) < link_key(&late));
        assert_eq!(link_key(&early), link_key(&early));
        assert!(!link_key(&early).contains(&early[SELECTOR_LEN..]));
        assert_ne!(
            link_key(&early),
            link_key(&format!("{}x", &early[..early.len() - 1]))
        );
        // Any other shape is hashed whole.
        assert_eq!(link_key("forged-token"), secret_hash("forged-token"));
        assert!(
            early
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
    }

    #[test]
    fn checks_each_field() {
        let ok = fields().check(Lang::FALLBACK).unwrap();
        assert_eq!(ok.email, "ana@example.org");
        assert_eq!(ok.country, "CA");
        assert_eq!(ok.domain(), "example.org");
        assert!(!ok.disposable());
        let bad = ActionFields {
            email: "nope".into(),
            country: "XX".into(),
            message: Some("x".repeat(MESSAGE_MAX + 1)),
            language: Some("tlh".into()),
            ..fields()
        };
        let errors = bad.check(Lang::FALLBACK).unwrap_err();
        for field in ["email", "country", "message", "language"] {
            assert!(!errors.get(field).is_empty(), "{field}");
        }
        let throwaway = ActionFields {
            email: "x@mailinator.com".into(),
            ..fields()
        };
        assert!(throwaway.check(Lang::FALLBACK).unwrap().disposable());
    }
}

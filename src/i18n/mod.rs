//! Languages: every user-facing string comes from `locales/<lang>/*.ftl` through Fluent.
//!
//! The visitor's language is chosen once per request by [`negotiate`] — the `lang` cookie set by
//! the switcher wins, then `Accept-Language`, then English — and stored in the request extensions.

use std::borrow::Cow;
use std::collections::HashMap;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum_extra::extract::CookieJar;
use fluent_templates::Loader;
use fluent_templates::fluent_bundle::FluentValue;

mod formats;
mod lang;
mod messages;

pub use formats::{group_digits, long_date};
pub use lang::Lang;
pub use messages::{FieldErrors, Msg};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Bidi isolation marks would end up inside attributes and e-mails; our languages are LTR.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

pub const LANG_COOKIE: &str = "lang";

/// Languages an event may be held in besides the site's own, with their own names (not
/// translated on purpose).
const MORE_EVENT_LANGUAGES: [(&str, &str); 13] = [
    ("pt", "Português"),
    ("de", "Deutsch"),
    ("it", "Italiano"),
    ("nl", "Nederlands"),
    ("pl", "Polski"),
    ("ar", "العربية"),
    ("zh", "中文"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("ru", "Русский"),
    ("tr", "Türkçe"),
    ("sw", "Kiswahili"),
    ("iu", "ᐃᓄᒃᑎᑐᑦ"),
];

/// The languages offered for an event (code, own name): the site's, then the others.
pub fn event_languages() -> Vec<(&'static str, &'static str)> {
    let own = Lang::ALL.map(|l| (l.code(), l.native_name()));
    let more = MORE_EVENT_LANGUAGES
        .into_iter()
        .filter(|(code, _)| Lang::from_code(code).is_none());
    own.into_iter().chain(more).collect()
}

/// Picks the language from the switcher's cookie, then `Accept-Language` (by q-value).
pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
    if let Some(lang) = cookie.and_then(Lang::from_code) {
        return lang;
    }
    let Some(header) = accept_language else {
        return Lang::FALLBACK;
    };
    let mut ranked: Vec<(f32, usize, &str)> = header
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut bits = part.trim().split(';');
            let tag = bits.next()?.trim();
            let q = bits
                .find_map(|b| b.trim().strip_prefix("q="))
                .map(|q| q.trim().parse::<f32>().unwrap_or(0.0))
                .unwrap_or(1.0);
            (q > 0.0).then_some((q, i, tag))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked
        .iter()
        .find_map(|(_, _, tag)| Lang::from_code(tag))
        .unwrap_or(Lang::FALLBACK)
}

/// The language of a request: the visitor's choice (cookie), else their browser's.
pub fn request_language(jar: &CookieJar, headers: &HeaderMap) -> Lang {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    negotiate(jar.get(LANG_COOKIE).map(|c| c.value()), accept)
}

/// Says which language an answer is in, and tells caches that it varies with the visitor's.
pub fn mark_language(lang: Lang, headers: &mut HeaderMap) {
    if !headers.contains_key(header::CONTENT_LANGUAGE) {
        headers.insert(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(lang.code()),
        );
    }
    headers.append(
        header::VARY,
        HeaderValue::from_static("Accept-Language, Cookie"),
    );
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Lang>().copied().unwrap_or_default())
    }
}

/// A translator bound to one language; templates call `tr.t(...)` with a Fluent id.
#[derive(Clone, Copy, Debug)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    pub fn t(&self, key: impl AsRef<str>) -> String {
        LOCALES.lookup(self.lang.id(), key.as_ref())
    }

    /// A message with one argument, e.g. `tr.t1("campaign-days-until", "count", 12)`.
    pub fn t1(&self, key: &str, name: &str, value: impl Into<ArgValue>) -> String {
        let mut args = HashMap::new();
        args.insert(Cow::Owned(name.to_string()), value.into().0);
        LOCALES.lookup_with_args(self.lang.id(), key, &args)
    }

    pub fn msg(&self, msg: &Msg) -> String {
        if msg.args.is_empty() {
            return self.t(msg.key);
        }
        let args: HashMap<Cow<'static, str>, FluentValue> = msg
            .args
            .iter()
            .map(|(name, value)| {
                let value = match value.parse::<i64>() {
                    // Large bounds read better grouped the language's way (100,000 / 100 000);
                    // small numbers stay numbers so plural rules apply.
                    Ok(n) if n.abs() >= 10_000 => FluentValue::from(group_digits(n, self.lang)),
                    Ok(n) => FluentValue::from(n),
                    Err(_) => FluentValue::from(value.clone()),
                };
                (Cow::Borrowed(*name), value)
            })
            .collect();
        LOCALES.lookup_with_args(self.lang.id(), msg.key, &args)
    }

    /// True when `key` exists in this language's files (used by the completeness test).
    pub fn has(&self, key: &str) -> bool {
        LOCALES.try_lookup(self.lang.id(), key).is_some()
    }
}

/// A Fluent argument: numbers stay numbers so plural rules apply.
pub struct ArgValue(FluentValue<'static>);

impl From<i64> for ArgValue {
    fn from(n: i64) -> Self {
        ArgValue(FluentValue::from(n))
    }
}
impl From<usize> for ArgValue {
    fn from(n: usize) -> Self {
        ArgValue(FluentValue::from(n as i64))
    }
}
impl From<&str> for ArgValue {
    fn from(s: &str) -> Self {
        ArgValue(FluentValue::from(s.to_string()))
    }
}
impl From<String> for ArgValue {
    fn from(s: String) -> Self {
        ArgValue(FluentValue::from(s))
    }
}
impl From<&&String> for ArgValue {
    fn from(s: &&String) -> Self {
        ArgValue(FluentValue::from((*s).clone()))
    }
}
impl From<&&str> for ArgValue {
    fn from(s: &&str) -> Self {
        ArgValue(FluentValue::from(s.to_string()))
    }
}
impl From<&&i64> for ArgValue {
    fn from(n: &&i64) -> Self {
        ArgValue(FluentValue::from(**n))
    }
}
impl From<&i64> for ArgValue {
    fn from(n: &i64) -> Self {
        ArgValue(FluentValue::from(*n))
    }
}
impl From<&String> for ArgValue {
    fn from(s: &String) -> Self {
        ArgValue(FluentValue::from(s.clone()))
    }
}

#[cfg(test)]
mod completeness;

/// The message ids in a Fluent file's text.
#[cfg(test)]
fn ftl_ids(text: &str) -> std::collections::BTreeSet<String> {
    text.lines()
        .filter(|l| !l.starts_with([' ', '#', '\t', '.', '*', '[', '}']) && l.contains(" ="))
        .map(|l| l.split(" =").next().unwrap().trim().to_string())
        .collect()
}

/// The ids `lang`'s files define, read from the files (a lookup would fall back to English):
/// for the features' tests of the ids they make up at run time (statuses, kinds).
#[cfg(test)]
pub(crate) fn ids_defined(lang: Lang) -> std::collections::BTreeSet<String> {
    let mut defined = std::collections::BTreeSet::new();
    for file in ["main.ftl", "mail.ftl"] {
        defined.extend(ftl_ids(
            &std::fs::read_to_string(format!("locales/{}/{file}", lang.code())).unwrap(),
        ));
    }
    defined
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_wins_then_accept_language_by_quality() {
        let lang = |code| Lang::from_code(code).unwrap();
        let en = Lang::FALLBACK;
        assert_eq!(negotiate(Some("fr"), Some("en")), lang("fr"));
        assert_eq!(
            negotiate(None, Some("de-DE,fr-CA;q=0.8,en;q=0.5")),
            lang("fr")
        );
        assert_eq!(negotiate(None, Some("en;q=0.2, fr;q=0.9")), lang("fr"));
        assert_eq!(negotiate(None, Some("es-MX,es;q=0.9,en;q=0.5")), lang("es"));
        assert_eq!(negotiate(None, Some("de")), en);
        assert_eq!(negotiate(Some("xx"), None), en);
        assert_eq!(negotiate(None, Some(";;,q=,")), en);
    }

    /// Every id the code and templates ask for exists in every language.
    #[test]
    fn every_used_id_exists() {
        fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs" || e == "html") {
                    out.push(std::fs::read_to_string(path).unwrap());
                }
            }
        }
        let mut sources = Vec::new();
        walk(std::path::Path::new("src"), &mut sources);
        walk(std::path::Path::new("templates"), &mut sources);
        let mut used = std::collections::BTreeSet::new();
        for text in &sources {
            for opener in [".t(\"", ".t1(\"", "Msg::new(\"", "=> \"error-"] {
                for piece in text.split(opener).skip(1) {
                    let prefix = if opener.contains("error-") {
                        "error-"
                    } else {
                        ""
                    };
                    let id: String = piece
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                        .collect();
                    if !id.is_empty() {
                        used.insert(format!("{prefix}{id}"));
                    }
                }
            }
        }
        for role in ["host", "staff", "admin"] {
            used.insert(format!("role-{role}"));
        }
        for status in ["published", "cancelled", "unpublished"] {
            used.insert(format!("event-status-{status}"));
        }
        for status in ["confirmed", "waitlisted", "cancelled"] {
            used.insert(format!("rsvp-status-{status}"));
        }
        for flag in ["many-per-participant", "edit-jump"] {
            used.insert(format!("report-flag-{flag}"));
        }
        for action in ["created", "edited", "voided"] {
            used.insert(format!("report-action-{action}"));
        }
        for purpose in ["verify", "reset", "sign-in"] {
            for part in ["subject", "body", "link", "expiry"] {
                used.insert(format!("mail-{purpose}-{part}"));
            }
        }
        for purpose in ["reset", "sign-in"] {
            for part in ["title", "intro"] {
                used.insert(format!("link-{purpose}-{part}"));
            }
        }
        for reminder in ["host", "deadline"] {
            for part in ["subject", "body"] {
                used.insert(format!("mail-remind-{reminder}-{part}"));
            }
        }
        for id in [
            "link-spent-title",
            "link-spent-text",
            "link-go-account",
            "link-ask-again",
            "verified-title",
            "verified-text",
            "mail-digest-body",
        ] {
            used.insert(id.to_string());
        }
        assert!(used.len() > 100, "{used:?}");
        for lang in Lang::ALL {
            let defined = super::ids_defined(lang);
            let missing: Vec<_> = used.iter().filter(|id| !defined.contains(*id)).collect();
            assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
        }
    }
}

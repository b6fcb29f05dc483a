//! The privacy crawler: fetches pages as someone (anonymous, or a signed-in client), looks for
//! marker strings in every header and body, and follows every same-site link. Used by
//! `tests/privacy.rs` (the public) and `tests/privacy_staff.rs` (staff of another country).

use std::collections::{HashSet, VecDeque};

use reqwest::Method;

use super::TestApp;

/// Everything a visitor was answered, and every leak found in it.
pub struct Audit {
    /// Lower-case strings that must appear in no response.
    needles: Vec<String>,
    pub leaks: Vec<String>,
    pub visited: Vec<String>,
    pub responses: usize,
}

/// A response as the audit keeps it.
pub struct Seen {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Seen {
    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

fn context(text: &str, at: usize, len: usize) -> String {
    let mut start = at.saturating_sub(100);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + len + 100).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    text[start..end].replace(['\n', '\r'], " ")
}

impl Audit {
    pub fn new(needles: &[&str]) -> Audit {
        Audit {
            needles: needles.iter().map(|n| n.to_lowercase()).collect(),
            leaks: Vec::new(),
            visited: Vec::new(),
            responses: 0,
        }
    }

    /// Looks for every marker in the text (case-insensitively, iCalendar lines unfolded).
    pub fn scan(&mut self, url: &str, part: &str, text: &str) {
        let unfolded = text.replace("\r\n ", "").replace("\r\n\t", "");
        let lower = unfolded.to_lowercase();
        for needle in &self.needles {
            for (at, _) in lower.match_indices(needle.as_str()) {
                self.leaks.push(format!(
                    "{url} [{part}] shows {needle:?}: …{}…",
                    context(&unfolded, at, needle.len())
                ));
            }
        }
    }

    pub fn check(&mut self, url: &str, seen: &Seen) {
        self.responses += 1;
        for (name, value) in &seen.headers {
            let value = String::from_utf8_lossy(value.as_bytes()).to_string();
            self.scan(url, &format!("header {name}"), &value);
        }
        self.scan(url, "body", &seen.body);
    }
}

/// An anonymous client: no cookies kept, no redirects followed.
pub fn anonymous() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub async fn send(req: reqwest::RequestBuilder) -> Seen {
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let bytes = r.bytes().await.unwrap();
    Seen {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).to_string(),
    }
}

/// Fetches with `client` in the language and audits the answer.
pub async fn visit(
    client: &reqwest::Client,
    app: &TestApp,
    audit: &mut Audit,
    lang: &str,
    method: Method,
    path: &str,
) -> Seen {
    let req = client
        .request(method.clone(), app.url(path))
        .header("accept-language", lang);
    let seen = send(req).await;
    audit.check(&format!("{method} {path} ({lang})"), &seen);
    seen
}

/// The same-site links of a page (`href="/…"`), unescaped, without fragments.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for piece in html.split("href=\"").skip(1) {
        let Some(raw) = piece.split('"').next() else {
            continue;
        };
        let href = raw.replace("&amp;", "&").replace("&#x2F;", "/");
        let href = href.split('#').next().unwrap_or_default().to_string();
        if href.starts_with('/') && !href.starts_with("//") && !href.starts_with("/\\") {
            out.push(href);
        }
    }
    out
}

/// Breadth-first from "/" as `client`, following every same-site link, up to `max_pages`
/// pages; links with a query only until `query_links_until` pages were visited.
pub async fn crawl(
    app: &TestApp,
    client: &reqwest::Client,
    audit: &mut Audit,
    lang: &str,
    max_pages: usize,
    query_links_until: usize,
) -> Vec<String> {
    let mut queue = VecDeque::from(["/".to_string()]);
    let mut queued: HashSet<String> = queue.iter().cloned().collect();
    let mut visited = Vec::new();
    let mut switched_language = false;
    while let Some(path) = queue.pop_front() {
        if visited.len() >= max_pages {
            break;
        }
        let seen = visit(client, app, audit, lang, Method::GET, &path).await;
        visited.push(path.clone());
        let mut found = Vec::new();
        if let Some(location) = seen.headers.get("location").and_then(|v| v.to_str().ok()) {
            found.push(location.to_string());
        }
        if seen.content_type().starts_with("text/html") {
            found.extend(links(&seen.body));
        }
        for link in found {
            if !link.starts_with('/') || link.starts_with("//") || link.starts_with("/signout") {
                continue;
            }
            if link.starts_with("/lang/") {
                if switched_language {
                    continue;
                }
                switched_language = true;
            }
            if link.contains('?') && visited.len() >= query_links_until {
                continue;
            }
            if queued.insert(link.clone()) {
                queue.push_back(link);
            }
        }
    }
    visited
}

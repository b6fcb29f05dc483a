//! Stories about the printed kits: a case's letter and sheet (`documents`), the campaign's and an
//! event's kit, their cache and who may have them (`kits`), and where they are offered
//! (`offered`), and the tally's share card (`share`). PDFs are read from the outside with poppler's `pdftotext`, `pdffonts`, `pdfinfo`
//! and `pdftoppm`, QR codes with zbar's `zbarimg` (Debian `poppler-utils`, `zbar-tools`). With
//! `KITS_DUMP=<dir>`, every PDF fetched is also written there, to look at.

#[path = "../common/mod.rs"]
mod common;

mod documents;
mod kits;
mod offered;
mod share;

use std::path::Path;
use std::process::Command;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use writeathon::accounts::Role;

fn current_slug() -> String {
    let (g, ..) = writeathon::demo::current_dates(common::today().date_naive());
    format!("w4r-{}", chrono::Datelike::year(&g))
}

/// Fetches `path` with `client` and returns the PDF, checking it is one.
async fn pdf_with(app: &TestApp, client: &reqwest::Client, path: &str) -> Vec<u8> {
    let r = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    assert_eq!(r.headers()["content-type"], "application/pdf", "{path}");
    let bytes = r.bytes().await.unwrap().to_vec();
    assert!(bytes.starts_with(b"%PDF-"), "{path}");
    if let Ok(dir) = std::env::var("KITS_DUMP") {
        let name: String = path
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '_' })
            .collect();
        std::fs::write(format!("{dir}/{name}.pdf"), &bytes).unwrap();
    }
    bytes
}

async fn pdf(app: &TestApp, path: &str) -> Vec<u8> {
    pdf_with(app, &reqwest::Client::new(), path).await
}

/// Runs a poppler or zbar tool on the PDF (written to a temporary file) and returns its output.
fn tool(pdf: &[u8], program: &str, args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kit.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new(program)
        .args(args)
        .arg(&file)
        .args(if program == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{program} (Debian poppler-utils) is needed: {e}"));
    assert!(
        out.status.success(),
        "{program}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn text(pdf: &[u8]) -> String {
    tool(pdf, "pdftotext", &[])
}

fn text_of_page(pdf: &[u8], page: usize) -> String {
    let p = page.to_string();
    tool(pdf, "pdftotext", &["-f", &p, "-l", &p])
}

fn pages(pdf: &[u8]) -> usize {
    let info = tool(pdf, "pdfinfo", &[]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .expect("pdfinfo gives the page count")
        .trim()
        .parse()
        .unwrap()
}

/// Every font of the PDF is embedded and subset (pdffonts' `emb` and `sub` columns).
fn assert_fonts_embedded_and_subset(pdf: &[u8]) -> Vec<String> {
    let out = tool(pdf, "pdffonts", &[]);
    let rows: Vec<&str> = out
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!rows.is_empty(), "{out}");
    let mut names = Vec::new();
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type [type…] encoding emb sub uni object ID
        let n = cols.len();
        assert_eq!(cols[n - 5], "yes", "not embedded: {row}");
        assert_eq!(cols[n - 4], "yes", "not subset: {row}");
        names.push(cols[0].to_string());
    }
    names
}

/// Renders pages to PNG at `dpi` with pdftoppm, into `dir`; returns the files, in page order.
fn render(pdf: &[u8], dir: &Path, dpi: u32, page: Option<usize>) -> Vec<std::path::PathBuf> {
    let file = dir.join("kit.pdf");
    std::fs::write(&file, pdf).unwrap();
    let mut cmd = Command::new("pdftoppm");
    cmd.args(["-r", &dpi.to_string(), "-png"]);
    if let Some(p) = page {
        cmd.args(["-f", &p.to_string(), "-l", &p.to_string()]);
    }
    let status = cmd
        .arg(&file)
        .arg(dir.join("page"))
        .status()
        .expect("pdftoppm");
    assert!(status.success());
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    files.sort();
    files
}

/// The QR codes zbarimg reads on one page, rendered at 300 dpi.
fn qr_codes(pdf: &[u8], page: usize) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let files = render(pdf, dir.path(), 300, Some(page));
    assert_eq!(files.len(), 1);
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"])
        .arg(&files[0])
        .output()
        .expect("zbarimg (Debian zbar-tools) is needed");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// Letters only: pdftotext puts spaces, line breaks and direction marks where it likes.
fn letters(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// A day inside the current campaign's window, as `YYYY-MM-DD`.
fn event_day() -> String {
    let (g, ..) = writeathon::demo::current_dates(common::today().date_naive());
    g.to_string()
}

fn event_body(title: &str, kind: &str, visibility: &str) -> Value {
    let day = event_day();
    json!({"title": title, "kind": kind, "visibility": visibility,
        "starts_at": format!("{day}T13:00:00+01:00"), "ends_at": format!("{day}T16:00:00+01:00"),
        "timezone": "Europe/Paris", "venue_name": "Salle des fêtes", "address": "12 rue des Lilas",
        "city": "Lyon", "region": "FR-ARA", "country": "FR", "latitude": 45.764, "longitude": 4.8357,
        "capacity": 30, "accessibility": "", "step_free": true,
        "description": "Letters and tea", "language": "fr"})
}

/// A host (a new account) registers an event; returns the event's id and the host's browser.
async fn hosted_event(app: &TestApp, email: &str, body: &Value) -> (i64, reqwest::Client) {
    let token = app.token_for(email, Role::Host).await;
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/campaigns/{}/events", current_slug())))
        .bearer_auth(&token)
        .json(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    let id = created["id"].as_i64().unwrap();
    let browser = common::browser();
    app.sign_in(&browser, email).await;
    (id, browser)
}

/// The first case of the current demo campaign, as the API gives it in `lang`.
async fn first_case(app: &TestApp, lang: &str) -> Value {
    let cases: Value = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/campaigns/{}/cases", current_slug())))
        .header("accept-language", lang)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    cases[0].clone()
}

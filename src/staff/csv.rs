//! CSV as spreadsheets read it: UTF-8 (with a byte order mark when asked, for the spreadsheet
//! programs that guess the encoding otherwise), CRLF line ends, text cells quoted and defused so
//! no cell is ever run as a formula, and long files streamed to the client a block at a time.

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

/// What makes a spreadsheet read a cell as a formula (OWASP's list, with NUL), and their
/// full-width forms, which some spreadsheet programs fold to the ASCII ones.
const FORMULA_STARTS: [char; 11] = [
    '=', '+', '-', '@', '\t', '\r', '\0', '\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}',
];

/// Whether `value` would be read as a formula, also after the spaces an import may trim.
pub fn is_formula(value: &str) -> bool {
    value
        .trim_start_matches([' ', '\u{3000}', '\u{a0}'])
        .starts_with(FORMULA_STARTS)
}

/// Appends `value` as a quoted text cell; a would-be formula gets a leading apostrophe, which
/// spreadsheets show as text and a CSV reader gets back with the value after it.
pub fn text(out: &mut String, value: &str) {
    out.push('"');
    if is_formula(value) {
        out.push('\'');
    }
    for c in value.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    out.push('"');
}

/// One row: cells already written by `text` or plain numbers, comma separated, CRLF ended.
pub struct Line<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Line<'a> {
    pub fn new(out: &'a mut String) -> Line<'a> {
        Line { out, first: true }
    }

    fn sep(&mut self) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
    }

    pub fn text(&mut self, value: &str) -> &mut Self {
        self.sep();
        text(self.out, value);
        self
    }

    pub fn opt(&mut self, value: Option<&str>) -> &mut Self {
        self.text(value.unwrap_or_default())
    }

    pub fn number(&mut self, n: i64) -> &mut Self {
        self.sep();
        self.out.push_str(&n.to_string());
        self
    }

    /// A moment (unix ms) as RFC 3339 in UTC; empty for none.
    pub fn time(&mut self, ms: Option<i64>) -> &mut Self {
        self.sep();
        if let Some(t) = ms.and_then(chrono::DateTime::from_timestamp_millis) {
            self.out
                .push_str(&t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        }
        self
    }

    pub fn bool(&mut self, b: bool) -> &mut Self {
        self.sep();
        self.out.push_str(if b { "true" } else { "false" });
        self
    }

    pub fn end(&mut self) {
        self.out.push_str("\r\n");
    }
}

/// The header row.
pub fn header_row(out: &mut String, names: &[&str]) {
    out.push_str(&names.join(","));
    out.push_str("\r\n");
}

/// Blocks of about this many bytes go to the client at a time.
const BLOCK: usize = 32 * 1024;

/// Where a streamed export writes: rows gather in a block, a full block goes to the client,
/// and waits while the client is slower than the database (the channel holds four blocks).
pub struct Sink {
    buf: String,
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
}

impl Sink {
    pub fn buf(&mut self) -> &mut String {
        &mut self.buf
    }

    /// Sends the block when it is full; `false` once the client has gone (stop reading rows).
    pub async fn flush_if_full(&mut self) -> bool {
        if self.buf.len() < BLOCK {
            return true;
        }
        self.flush().await
    }

    async fn flush(&mut self) -> bool {
        let block = std::mem::replace(&mut self.buf, String::with_capacity(BLOCK + 1024));
        self.tx.send(Ok(Bytes::from(block))).await.is_ok()
    }
}

/// A CSV response whose rows `write` produces on a task of its own while the client reads. A
/// failure half-way breaks the response off (the client sees an incomplete transfer, never a
/// short file that looks whole).
pub fn streamed<F, Fut>(filename: &str, bom: bool, header: &[&str], write: F) -> Response
where
    F: FnOnce(Sink) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<Sink, sqlx::Error>> + Send + 'static,
{
    let (tx, rx) = mpsc::channel(4);
    let mut buf = String::with_capacity(BLOCK + 1024);
    if bom {
        buf.push('\u{feff}');
    }
    header_row(&mut buf, header);
    let sink = Sink {
        buf,
        tx: tx.clone(),
    };
    tokio::spawn(async move {
        match write(sink).await {
            Ok(mut sink) => {
                sink.flush().await;
            }
            Err(err) => {
                tracing::warn!(error = %err, "export broken off: database error");
                let _ = tx
                    .send(Err(std::io::Error::other("export broken off")))
                    .await;
            }
        }
    });
    let mut response = Body::from_stream(ReceiverStream::new(rx)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(v: &str) -> String {
        let mut s = String::new();
        text(&mut s, v);
        s
    }

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("Ana \"A\""), "\"Ana \"\"A\"\"\"");
        assert_eq!(cell("=1+1"), "\"'=1+1\"");
        assert_eq!(cell("  @SUM(A1)"), "\"'  @SUM(A1)\"");
        assert_eq!(cell("\u{ff1d}1+1"), "\"'\u{ff1d}1+1\"");
        assert_eq!(cell("\u{3000}\u{ff0b}2"), "\"'\u{3000}\u{ff0b}2\"");
        assert_eq!(cell("\tx"), "\"'\tx\"");
        assert_eq!(cell("\rx"), "\"'\rx\"");
        assert_eq!(cell("-3"), "\"'-3\"");
        assert_eq!(cell("Halifax, NS"), "\"Halifax, NS\"");
        assert_eq!(cell("é = fine"), "\"é = fine\"");
    }

    #[test]
    fn a_line_joins_its_cells() {
        let mut out = String::new();
        Line::new(&mut out)
            .number(7)
            .text("+x")
            .opt(None)
            .bool(true)
            .time(Some(0))
            .end();
        assert_eq!(out, "7,\"'+x\",\"\",true,1970-01-01T00:00:00Z\r\n");
    }
}

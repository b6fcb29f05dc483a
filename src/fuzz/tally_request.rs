//! The tally stream's request parser (`tally::direct::parse`): it takes a connection away from the
//! HTTP server only for a request that server would answer the same way, from whatever bytes the
//! first read brought (a part of a request, several requests, garbage).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use arbtest::arbitrary::{Result, Unstructured};
use axum::Router;
use axum::extract::{Path, Query, Request};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::Service;

use crate::tally::direct::{Parsed, parse};
use crate::tally::live::{StreamQuery, View};

const ROUTE: &str = "/api/v1/campaigns/{campaign}/tally/stream";

const METHODS: [&str; 7] = ["GET", "GET", "GET", "POST", "HEAD", "get", "OPTIONS"];
const PREFIXES: [&str; 6] = [
    "/api/v1/campaigns/",
    "/api/v1/campaigns//",
    "/API/v1/campaigns/",
    "http://x/api/v1/campaigns/",
    "/api/v1/campaigns/../campaigns/",
    "//api/v1/campaigns/",
];
const SLUGS: [&str; 9] = [
    "w4r-2026",
    "x",
    "-",
    "a-b-c",
    "w4r%2D2026",
    "W4R",
    "é",
    "w4r 2026",
    "..",
];
const SUFFIXES: [&str; 12] = [
    "/tally/stream",
    "/tally/stream",
    "/tally/stream/",
    "/tally",
    "/tally/stream?view=summary",
    "/tally/stream?view=full",
    "/tally/stream?view=summary&view=full",
    "/tally/stream?view=",
    "/tally/stream?",
    "/tally/stream#x",
    "/tally/Stream",
    "/tally/stream%20",
];
const VERSIONS: [&str; 6] = [
    "HTTP/1.1",
    "HTTP/1.1",
    "HTTP/1.0",
    "HTTP/2.0",
    "http/1.1",
    "HTTP/1.1 ",
];
const HEADERS: [&str; 20] = [
    "Host: x",
    "host:",
    "X-Forwarded-For: 198.51.100.1",
    "x-forwarded-for: 203.0.113.9, 10.0.0.1",
    "Content-Length: 0",
    "Content-Length: 5",
    "content-length: abc",
    "Content-Length: 1, 2",
    "Transfer-Encoding: chunked",
    "Transfer-Encoding: gzip",
    "Connection: upgrade",
    "Upgrade: h2c",
    "Expect: 100-continue",
    "Accept: text/event-stream",
    " Host: x",
    "Host : x",
    "Bad Name: x",
    "X-Obs: a\r\n folded",
    "X-Del: a\x7fb",
    "X-Utf8: é",
];

/// The first bytes of a connection: mostly a request near the stream's, sometimes anything.
fn first_bytes(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    if u.ratio(1, 10)? {
        return Ok(u.arbitrary::<&[u8]>()?.to_vec());
    }
    let eol = if u.ratio(1, 8)? { "\n" } else { "\r\n" };
    let slug = match u.int_in_range(0..=9)? {
        0..=5 => u.choose(&SLUGS)?.to_string(),
        6 => "a".repeat(u.int_in_range(99..=101)?),
        _ => super::text(u, &["-", "%", "/", "?", "w4r"], 8)?,
    };
    let mut head = format!(
        "{} {}{slug}{} {}{eol}",
        u.choose(&METHODS)?,
        u.choose(&PREFIXES)?,
        u.choose(&SUFFIXES)?,
        u.choose(&VERSIONS)?,
    );
    for _ in 0..u.int_in_range(0..=5)? {
        let field = match u.int_in_range(0..=5)? {
            0 => format!("X-{}: {}", u.int_in_range(0..=9)?, super::text(u, &[], 6)?),
            _ => u.choose(&HEADERS)?.to_string(),
        };
        head.push_str(&field);
        head.push_str(eol);
    }
    if !u.ratio(1, 8)? {
        head.push_str(eol);
    }
    let mut bytes = head.into_bytes();
    match u.int_in_range(0..=9)? {
        0 => bytes.extend_from_slice(b"hello"),
        1 => bytes.extend_from_slice(b"GET /healthz HTTP/1.1\r\n\r\n"),
        2 if !bytes.is_empty() => {
            for _ in 0..u.int_in_range(1..=3)? {
                let at = u.choose_index(bytes.len())?;
                bytes[at] = u.arbitrary()?;
            }
        }
        _ => {}
    }
    Ok(bytes)
}

/// What the HTTP server and its route make of `bytes` on a fresh connection: the status, and the
/// slug, view and headers the stream route saw if it was reached.
async fn served_by_http(bytes: &[u8]) -> (u16, Option<(String, View, HeaderMap)>) {
    let seen = Arc::new(Mutex::new(None));
    let saw = seen.clone();
    let router = Router::new().route(
        ROUTE,
        get(
            move |Path(slug): Path<String>, Query(q): Query<StreamQuery>, headers: HeaderMap| {
                *saw.lock().unwrap() = Some((slug, q.view, headers));
                async { StatusCode::OK }
            },
        ),
    );
    let service = hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
        router.clone().call(request)
    });
    let (mut client, server) = tokio::io::duplex(64 * 1024);
    // As `web::conn::serve_one` builds it.
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(10));
    let connection = builder.serve_connection(TokioIo::new(server), service);
    let serving = tokio::spawn(connection);
    client.write_all(bytes).await.unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    let status = loop {
        let read = tokio::time::timeout(Duration::from_secs(5), client.read(&mut buf)).await;
        let Ok(Ok(n @ 1..)) = read else { break 0 };
        answer.extend_from_slice(&buf[..n]);
        let mut fields = [httparse::EMPTY_HEADER; 64];
        let mut response = httparse::Response::new(&mut fields);
        if let Ok(httparse::Status::Complete(_)) = response.parse(&answer) {
            break response.code.unwrap_or(0);
        }
    };
    serving.abort();
    let seen = seen.lock().unwrap().take();
    (status, seen)
}

#[test]
fn tally_request() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    super::run("tally_request", 4096, |u| {
        let bytes = first_bytes(u)?;
        let whole = parse(&bytes);
        // A first read may stop anywhere: a part is either not taken, or taken as the whole is.
        for _ in 0..3 {
            let cut = u.int_in_range(0..=bytes.len())?;
            if let Some(part) = parse(&bytes[..cut]) {
                let whole = whole.as_ref().unwrap_or_else(|| {
                    panic!(
                        "a part taken, the whole not: {:?}",
                        String::from_utf8_lossy(&bytes)
                    )
                });
                assert_eq!(
                    (part.head_len, &part.slug, part.view),
                    (whole.head_len, &whole.slug, whole.view)
                );
            }
        }
        let Some(Parsed {
            head_len: len,
            slug,
            view,
            headers,
        }) = whole
        else {
            return Ok(());
        };
        let shown = String::from_utf8_lossy(&bytes).into_owned();
        let queries: &[&str] = match view {
            View::Full => &["", "?view=full"],
            View::Summary => &["?view=summary"],
        };
        assert!(
            queries.iter().any(|query| {
                let line = format!("GET /api/v1/campaigns/{slug}/tally/stream{query} HTTP/1.");
                bytes.starts_with(line.as_bytes())
            }),
            "{shown:?}"
        );
        assert!(
            (1..=100).contains(&slug.len())
                && slug
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{slug:?} from {shown:?}"
        );
        let head = &bytes[..len];
        assert!(
            head.ends_with(b"\n\n") || head.ends_with(b"\n\r\n"),
            "{shown:?}"
        );
        // Whatever follows the head ends a stream served from the socket; a body would be
        // read by nobody.
        assert!(
            !headers.contains_key("content-length") && !headers.contains_key("transfer-encoding"),
            "a request with a body taken: {shown:?}"
        );
        let (status, seen) = runtime.block_on(served_by_http(&bytes));
        assert_eq!(status, 200, "the HTTP server answers {status} to {shown:?}");
        assert_eq!(
            seen,
            Some((slug, view, headers)),
            "the route sees another request in {shown:?}"
        );
        Ok(())
    });
}

/// Found by `tally_request`: a stream request announcing a body was taken from the socket,
/// though the HTTP server refuses a malformed length and a stream served here ends at the
/// body's first byte.
#[test]
fn requests_with_a_body_are_left_to_the_http_server() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for (field, http) in [
        ("Content-Length: 0", 200),
        ("Content-Length: 1, 2", 400),
        ("content-length: abc", 400),
        ("Transfer-Encoding: gzip", 400),
        ("Transfer-Encoding: chunked", 200),
    ] {
        let request = format!("GET /api/v1/campaigns/w4r/tally/stream HTTP/1.1\r\n{field}\r\n\r\n");
        assert!(parse(request.as_bytes()).is_none(), "{field}");
        let (status, _) = runtime.block_on(served_by_http(request.as_bytes()));
        assert_eq!(status, http, "{field}");
    }
}

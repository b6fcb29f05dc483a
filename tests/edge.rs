//! Stories about the edge of the server: who a request comes from behind a proxy, what a client
//! may hold open, and the headers and cookies that depend on how the site is reached.

mod common;

use std::time::Duration;

use common::{PASSWORD, TestApp, extract_csrf};
use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use writeathon::accounts::Role;
use writeathon::config::{DEFAULT_TILE_URL, Settings};

/// One sign-in attempt, as a reverse proxy in front of us would pass it on: `forwarded` is the
/// whole `X-Forwarded-For` (what the client sent, then what each proxy appended).
async fn sign_in(
    app: &TestApp,
    csrf: &str,
    email: &str,
    password: &str,
    forwarded: &str,
) -> StatusCode {
    app.client
        .post(app.url("/signin"))
        .header("x-forwarded-for", forwarded)
        .form(&[("csrf", csrf), ("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
        .status()
}

fn statuses(list: &[StatusCode]) -> String {
    list.iter()
        .map(|s| s.as_u16().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

// One real client (203.0.113.9, appended by our proxy) forging a new left-most entry for each of
// 30 accounts: the per-address limit (20 in five minutes) still counts them as one client.
story!(
    forged_forwarded_for_entries_share_the_real_clients_limit,
    |s| {
        s.trust_proxy = true;
    },
    |app| {
        let csrf = app.csrf().await;
        let mut seen = Vec::new();
        for i in 0..30 {
            let email = format!("person{i}@example.org");
            let forwarded = format!("198.51.100.{i}, 203.0.113.9");
            seen.push(sign_in(&app, &csrf, &email, "wrong guess 1234", &forwarded).await);
        }
        let refused = seen
            .iter()
            .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
            .count();
        assert_eq!(refused, 10, "{}", statuses(&seen));
        assert!(
            seen[..20]
                .iter()
                .all(|s| *s == StatusCode::UNPROCESSABLE_ENTITY),
            "{}",
            statuses(&seen)
        );
        // Another client behind the same proxy has its own allowance.
        let other = sign_in(
            &app,
            &csrf,
            "someone@example.org",
            "wrong guess 1234",
            "198.51.100.1, 203.0.113.10",
        )
        .await;
        assert_eq!(other, StatusCode::UNPROCESSABLE_ENTITY);
        // Without the header (a health check from the proxy's host), the proxy's own address counts.
        let direct = sign_in(&app, &csrf, "someone@example.org", "wrong guess 1234", "").await;
        assert_eq!(direct, StatusCode::UNPROCESSABLE_ENTITY);
    }
);

// Two proxies in a row (a CDN, then ours): the client is the second entry from the right.
story!(
    two_trusted_hops_take_the_address_the_outer_proxy_saw,
    |s| {
        s.trust_proxy = true;
        s.trusted_proxy_hops = 2;
    },
    |app| {
        let csrf = app.csrf().await;
        let mut seen = Vec::new();
        for i in 0..21 {
            let email = format!("person{i}@example.org");
            // Forged, the client as the CDN saw it, the CDN node as our proxy saw it (many nodes).
            let forwarded = format!("198.51.100.{i}, 203.0.113.9, 192.0.2.{i}");
            seen.push(sign_in(&app, &csrf, &email, "wrong guess 1234", &forwarded).await);
        }
        assert_eq!(
            seen[20],
            StatusCode::TOO_MANY_REQUESTS,
            "{}",
            statuses(&seen)
        );
        // A request that came through our proxy only: its one entry is all there is to go by.
        let inner = sign_in(
            &app,
            &csrf,
            "someone@example.org",
            "wrong guess 1234",
            "203.0.113.10",
        )
        .await;
        assert_eq!(inner, StatusCode::UNPROCESSABLE_ENTITY);
    }
);

// One host hands out addresses from its /64 at will: they are one client.
story!(
    ipv6_addresses_of_one_64_share_a_limit,
    |s| {
        s.trust_proxy = true;
    },
    |app| {
        let csrf = app.csrf().await;
        let mut seen = Vec::new();
        for i in 0..21 {
            let email = format!("person{i}@example.org");
            let forwarded = format!("2001:db8:5:6:{i:x}:{i:x}:{i:x}:1");
            seen.push(sign_in(&app, &csrf, &email, "wrong guess 1234", &forwarded).await);
        }
        assert!(
            seen[..20]
                .iter()
                .all(|s| *s == StatusCode::UNPROCESSABLE_ENTITY),
            "{}",
            statuses(&seen)
        );
        assert_eq!(
            seen[20],
            StatusCode::TOO_MANY_REQUESTS,
            "{}",
            statuses(&seen)
        );
        // The next /64 is someone else.
        let next = sign_in(
            &app,
            &csrf,
            "someone@example.org",
            "wrong guess 1234",
            "2001:db8:5:7::1",
        )
        .await;
        assert_eq!(next, StatusCode::UNPROCESSABLE_ENTITY);
    }
);

// Guessing one account's password from many addresses: the account's own limit (10 in fifteen
// minutes) holds whatever the address, and then even the right password waits.
story!(
    one_accounts_limit_holds_across_addresses,
    |s| {
        s.trust_proxy = true;
    },
    |app| {
        app.add_account("target@example.org", writeathon::accounts::Role::Host, None)
            .await;
        let csrf = app.csrf().await;
        let mut seen = Vec::new();
        for i in 0..11 {
            let forwarded = format!("198.51.100.{i}");
            seen.push(
                sign_in(
                    &app,
                    &csrf,
                    "target@example.org",
                    "wrong guess 1234",
                    &forwarded,
                )
                .await,
            );
        }
        assert!(
            seen[..10]
                .iter()
                .all(|s| *s == StatusCode::UNPROCESSABLE_ENTITY),
            "{}",
            statuses(&seen)
        );
        assert_eq!(
            seen[10],
            StatusCode::TOO_MANY_REQUESTS,
            "{}",
            statuses(&seen)
        );
        let right = sign_in(&app, &csrf, "target@example.org", PASSWORD, "192.0.2.77").await;
        assert_eq!(right, StatusCode::TOO_MANY_REQUESTS);
    }
);

// A request id is ours to give: one sent by the client (to forge log lines, or to tie requests
// together) is replaced, and the answer carries ours.
story!(a_request_id_sent_by_the_client_is_replaced, |app| {
    for path in ["/healthz", "/no-such-page", "/api/v1/campaigns"] {
        let r = app
            .client
            .get(app.url(path))
            .header("x-request-id", "chosen-by-the-client")
            .send()
            .await
            .unwrap();
        let ids: Vec<_> = r.headers().get_all("x-request-id").iter().collect();
        assert_eq!(ids.len(), 1, "{path}: {ids:?}");
        let id = ids[0].to_str().unwrap();
        assert!(
            id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit()),
            "{path}: {id}"
        );
    }
});

/// A client that keeps no cookies: the test sends and reads them itself, whatever their name.
fn cookieless() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The `Set-Cookie` line that sets `name`, and the value it sets.
fn set_cookie(r: &reqwest::Response, name: &str) -> (String, String) {
    let line = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie in {:?}", r.headers()));
    let value = line[name.len() + 1..]
        .split(';')
        .next()
        .unwrap()
        .to_string();
    (line, value)
}

/// Opens a new connection and sends `GET path` with `headers` (each ending in CRLF); returns the
/// connection and the answer's head.
async fn get_raw(app: &TestApp, path: &str, headers: &str) -> (TcpStream, String) {
    let mut socket = TcpStream::connect(app.addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nhost: {}\r\n{headers}\r\n", app.addr);
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let n = socket.read(&mut byte).await.unwrap();
        assert_eq!(n, 1, "closed after {:?}", String::from_utf8_lossy(&head));
        head.push(byte[0]);
    }
    (socket, String::from_utf8(head).unwrap())
}

const HSTS: &str = "max-age=63072000; includeSubDomains";

// Reached over https (the proxy in front terminates TLS): browsers are told to come back only
// over https, and the session and CSRF cookies carry the `__Host-` prefix, which a browser only
// accepts with Secure, Path=/ and no Domain, so no other host under the domain can set them.
story!(
    over_https_cookies_are_host_only_and_hsts_is_sent,
    |s| {
        *s = Settings::new("https://writeathon.example", false, DEFAULT_TILE_URL);
    },
    |app| {
        app.add_account("host@example.org", Role::Host, None).await;
        let client = cookieless();
        let r = client.get(app.url("/signin")).send().await.unwrap();
        assert_eq!(r.headers()["strict-transport-security"], HSTS);
        let (line, csrf) = set_cookie(&r, "__Host-csrf");
        for required in ["; Secure", "; Path=/", "; HttpOnly"] {
            assert!(line.contains(required), "{line}");
        }
        assert!(!line.to_lowercase().contains("domain"), "{line}");
        assert_eq!(extract_csrf(&r.text().await.unwrap()), csrf);

        let r = client
            .post(app.url("/signin"))
            .header("cookie", format!("__Host-csrf={csrf}"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", "host@example.org"),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (line, session) = set_cookie(&r, "__Host-session");
        for required in ["; Secure", "; Path=/", "; HttpOnly"] {
            assert!(line.contains(required), "{line}");
        }
        assert!(!line.to_lowercase().contains("domain"), "{line}");
        let account = |cookie: String| {
            client
                .get(app.url("/account"))
                .header("cookie", cookie)
                .send()
        };
        let r = account(format!("__Host-session={session}")).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        // The bare name, which any host of the domain could set, is not read.
        let r = account(format!("session={session}")).await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);

        // The API, and a tally stream answered from the socket, carry HSTS too.
        let r = client
            .get(app.url("/api/v1/campaigns"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["strict-transport-security"], HSTS);
        let slug = app.current_slug();
        let (_stream, head) =
            get_raw(&app, &format!("/api/v1/campaigns/{slug}/tally/stream"), "").await;
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(
            head.contains(&format!("strict-transport-security: {HSTS}\r\n")),
            "{head}"
        );
    }
);

// Over plain http (a laptop, the tests): no HSTS, which would lock a browser out of the address.
story!(over_http_no_hsts_and_plain_cookie_names, |app| {
    let r = cookieless().get(app.url("/signin")).send().await.unwrap();
    assert!(!r.headers().contains_key("strict-transport-security"));
    let (line, _) = set_cookie(&r, "csrf");
    assert!(!line.contains("Secure"), "{line}");
});

/// Whether the server closes `socket` within `within` (reading whatever it sends first).
async fn closed_within(socket: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 1024];
    tokio::time::timeout(within, async {
        loop {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => continue,
            }
        }
    })
    .await
    .is_ok()
}

// A client that sends its request a byte every 200 ms, or nothing at all, would hold its
// connection for ever; it is closed once the header timeout has passed.
story!(
    slow_request_heads_are_cut_off,
    |s| {
        s.header_timeout = Duration::from_secs(1);
    },
    |app| {
        let mut silent = TcpStream::connect(app.addr).await.unwrap();
        let slow = TcpStream::connect(app.addr).await.unwrap();
        let (mut read, mut write) = slow.into_split();
        let trickle = tokio::spawn(async move {
            let head = b"GET /healthz HTTP/1.1\r\nhost: x\r\nx-slow: ";
            for byte in head.iter().chain(std::iter::repeat(&b'a')) {
                if write.write_all(&[*byte]).await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        });
        let mut buf = [0u8; 1024];
        let cut = tokio::time::timeout(Duration::from_secs(20), async {
            loop {
                match read.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => continue,
                }
            }
        })
        .await;
        trickle.abort();
        assert!(
            cut.is_ok(),
            "a head sent a byte at a time is still read after 20 s"
        );
        // (Handed to the HTTP server after 5 s without a byte, then its timeout.)
        assert!(
            closed_within(&mut silent, Duration::from_secs(20)).await,
            "a connection that sends nothing is still open after 20 s"
        );
        // A kept connection left idle is closed after the same time.
        let (mut kept, head) = get_raw(&app, "/healthz", "").await;
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(
            closed_within(&mut kept, Duration::from_secs(20)).await,
            "an idle kept connection is still open after 20 s"
        );
        // Everyone else is served as before.
        assert_eq!(app.get_text("/healthz").await.0, StatusCode::OK);
    }
);

// At most `max_connections` are open at once: the next one waits until one closes.
story!(
    connections_beyond_the_cap_wait_for_a_free_place,
    |s| {
        s.max_connections = 4;
    },
    |app| {
        let slug = app.current_slug();
        let stream = format!("/api/v1/campaigns/{slug}/tally/stream");
        let mut held = Vec::new();
        for _ in 0..4 {
            let (socket, head) = get_raw(&app, &stream, "").await;
            assert!(head.starts_with("HTTP/1.1 200"), "{head}");
            held.push(socket);
        }
        let mut waiting = TcpStream::connect(app.addr).await.unwrap();
        waiting
            .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut buf = [0u8; 12];
        let early =
            tokio::time::timeout(Duration::from_secs(1), waiting.read_exact(&mut buf)).await;
        assert!(
            early.is_err(),
            "answered beyond the cap: {:?}",
            String::from_utf8_lossy(&buf)
        );
        drop(held.pop());
        tokio::time::timeout(Duration::from_secs(10), waiting.read_exact(&mut buf))
            .await
            .expect("answered once a place is free")
            .unwrap();
        assert_eq!(&buf, b"HTTP/1.1 200");
    }
);

// Streams never end by themselves: one client may hold eight, on either path (a new connection's
// stream is answered from the socket, one on a used connection by the route).
story!(one_client_holds_at_most_eight_tally_streams, |app| {
    let slug = app.current_slug();
    let path = format!("/api/v1/campaigns/{slug}/tally/stream");
    let mut held = Vec::new();
    for _ in 0..8 {
        let (socket, head) = get_raw(&app, &path, "").await;
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        held.push(socket);
    }
    let (_, head) = get_raw(&app, &path, "").await;
    assert!(head.starts_with("HTTP/1.1 429"), "{head}");
    assert!(
        head.contains("content-type: application/problem+json\r\n"),
        "{head}"
    );
    assert!(head.contains("retry-after: "), "{head}");
    let reused = reqwest::Client::new();
    assert_eq!(
        reused
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let (status, _, _) = common::problem(reused.get(app.url(&path)).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // A closed stream gives its place back (as soon as the server sees it closed).
    drop(held.pop());
    let mut reopened = None;
    for _ in 0..50 {
        let (socket, head) = get_raw(&app, &path, "").await;
        if head.starts_with("HTTP/1.1 200") {
            reopened = Some(socket);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        reopened.is_some(),
        "the place of a closed stream is given back"
    );
});

// Behind a proxy, the count is per client, not per proxy.
story!(
    behind_a_proxy_stream_caps_count_each_client,
    |s| {
        s.trust_proxy = true;
    },
    |app| {
        let slug = app.current_slug();
        let path = format!("/api/v1/campaigns/{slug}/tally/stream");
        let mut held = Vec::new();
        for i in 0..8 {
            let forwarded = format!("x-forwarded-for: 198.51.100.{i}, 203.0.113.9\r\n");
            let (socket, head) = get_raw(&app, &path, &forwarded).await;
            assert!(head.starts_with("HTTP/1.1 200"), "{head}");
            held.push(socket);
        }
        let (_, head) = get_raw(&app, &path, "x-forwarded-for: 203.0.113.9\r\n").await;
        assert!(head.starts_with("HTTP/1.1 429"), "{head}");
        let (_socket, head) = get_raw(&app, &path, "x-forwarded-for: 203.0.113.10\r\n").await;
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    }
);

//! Who a request comes from, as rate limits and per-client caps count it.
//!
//! Behind reverse proxies (`--trust-proxy`), each proxy appends the address it saw to
//! `X-Forwarded-For`; whatever stands to the left of our proxies' entries was written by the client
//! and proves nothing. So the client is the entry `--trusted-proxy-hops` from the right. IPv6
//! addresses are cut to their /64: one host usually holds a whole /64 and could otherwise take a
//! fresh address, and a fresh allowance, for every request.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::config::Settings;
use crate::state::AppState;

/// The client's address for rate limits: IPv6 as its /64 (see the module doc).
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok());
        Ok(ClientIp(client(&state.settings, peer, forwarded)))
    }
}

/// The same, from a request head read off the socket (`tally::direct`).
pub fn from_headers(settings: &Settings, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok());
    client(settings, peer, forwarded)
}

/// The client of a request from `peer` carrying these `X-Forwarded-For` values (in order: a
/// proxy may append a header line of its own rather than extend the client's), as a bucket.
pub fn client<'a>(
    settings: &Settings,
    peer: IpAddr,
    forwarded: impl Iterator<Item = &'a str>,
) -> IpAddr {
    let ip = if settings.trust_proxy {
        forwarded_client(peer, forwarded, settings.trusted_proxy_hops)
    } else {
        peer
    };
    bucket(ip)
}

fn forwarded_client<'a>(
    peer: IpAddr,
    forwarded: impl Iterator<Item = &'a str>,
    hops: usize,
) -> IpAddr {
    let entries: Vec<&str> = forwarded
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    if entries.iter().all(|e| e.is_empty()) {
        // Not forwarded (a health check from the proxy's host): the proxy itself, so every such
        // request shares one allowance.
        return peer;
    }
    // Fewer entries than hops: the request skipped an outer proxy, and every entry there is was
    // written by one of ours; the left-most is the furthest address they saw.
    let at = entries.len().saturating_sub(hops.max(1));
    // An entry our proxy wrote but we cannot read: the proxy, never a value the client chose.
    parse(entries[at]).unwrap_or(peer)
}

/// One entry: `192.0.2.1`, `2001:db8::1`, and forms with brackets or a port that some proxies write.
fn parse(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            entry
                .strip_prefix('[')?
                .strip_suffix(']')?
                .parse::<Ipv6Addr>()
                .ok()
                .map(IpAddr::V6)
        })
}

/// IPv4 as it is (also when written as `::ffff:a.b.c.d` by a dual-stack socket), IPv6 cut to /64.
pub fn bucket(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & (u128::MAX << 64))),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn settings(trust_proxy: bool, hops: usize) -> Settings {
        let mut s = Settings::new("http://127.0.0.1:8080", trust_proxy, "");
        s.trusted_proxy_hops = hops;
        s
    }

    fn resolve(trust: bool, hops: usize, headers: &[&str]) -> IpAddr {
        client(
            &settings(trust, hops),
            ip("10.0.0.1"),
            headers.iter().copied(),
        )
    }

    #[test]
    fn the_client_is_what_our_proxies_saw() {
        // Not trusted: the header is the client's own words.
        assert_eq!(resolve(false, 1, &["198.51.100.1"]), ip("10.0.0.1"));
        assert_eq!(
            resolve(true, 1, &["198.51.100.1, 203.0.113.9"]),
            ip("203.0.113.9")
        );
        // A header line of the client's, then one the proxy added.
        assert_eq!(
            resolve(true, 1, &["198.51.100.1", "203.0.113.9"]),
            ip("203.0.113.9")
        );
        assert_eq!(
            resolve(true, 2, &["198.51.100.1, 203.0.113.9, 192.0.2.5"]),
            ip("203.0.113.9")
        );
        // Fewer entries than hops: the left-most.
        assert_eq!(
            resolve(true, 3, &["203.0.113.9, 192.0.2.5"]),
            ip("203.0.113.9")
        );
        // None, or unreadable where ours should be: the proxy itself.
        assert_eq!(resolve(true, 1, &[]), ip("10.0.0.1"));
        assert_eq!(resolve(true, 1, &[""]), ip("10.0.0.1"));
        assert_eq!(resolve(true, 1, &["203.0.113.9, unknown"]), ip("10.0.0.1"));
        // Ports and brackets.
        assert_eq!(resolve(true, 1, &["203.0.113.9:4711"]), ip("203.0.113.9"));
        assert_eq!(resolve(true, 1, &["[2001:db8::1]:443"]), ip("2001:db8::"));
        assert_eq!(resolve(true, 1, &["[2001:db8::1]"]), ip("2001:db8::"));
    }

    #[test]
    fn ipv6_is_counted_by_its_64() {
        assert_eq!(
            bucket(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd")),
            ip("2001:db8:1:2::")
        );
        assert_eq!(
            bucket(ip("2001:db8:1:2::1")),
            bucket(ip("2001:db8:1:2:ffff::"))
        );
        assert_ne!(bucket(ip("2001:db8:1:2::1")), bucket(ip("2001:db8:1:3::1")));
        assert_eq!(bucket(ip("192.0.2.7")), ip("192.0.2.7"));
        // IPv4 clients of a dual-stack socket stay one address each, not one /64 for all.
        assert_eq!(bucket(ip("::ffff:192.0.2.7")), ip("192.0.2.7"));
    }
}

//! Where a webhook may point. Only administrators add webhooks, yet a URL is still a way to make
//! the server send requests on someone's behalf (SSRF): to a cloud's metadata address, to a
//! database's admin port on the LAN. So a webhook URL must be `http` or `https`, name no user or
//! password, and reach only public addresses: loopback, private, link-local, shared (CGNAT),
//! multicast, documentation and reserved ranges are refused, unless the operator allows them
//! (`--webhook-allow-private`, for a receiver on this host or network).
//!
//! The check is made when the URL is saved (literal addresses, `localhost`) and again on every
//! delivery, on the addresses the name resolves to at that moment (`PublicOnly`, the worker's
//! resolver), so a name that later points inside (DNS rebinding) reaches nothing. Redirects are
//! never followed: a 3xx is a failed attempt.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// Why a URL is refused, as the Fluent id of the message shown to the administrator.
pub fn check_url(raw: &str, allow_private: bool) -> Result<reqwest::Url, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("webhook-error-url-missing");
    }
    if raw.len() > 2000 {
        return Err("webhook-error-url-long");
    }
    let url = reqwest::Url::parse(raw).map_err(|_| "webhook-error-url")?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("webhook-error-url-scheme");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("webhook-error-url-credentials");
    }
    let Some(host) = url.host() else {
        return Err("webhook-error-url");
    };
    if allow_private {
        return Ok(url);
    }
    let public = match host {
        url::Host::Ipv4(ip) => is_public(IpAddr::V4(ip)),
        url::Host::Ipv6(ip) => is_public(IpAddr::V6(ip)),
        url::Host::Domain(name) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name != "localhost" && !name.ends_with(".localhost") && name.contains('.')
        }
    };
    if public {
        Ok(url)
    } else {
        Err("webhook-error-url-private")
    }
}

/// Whether an address is on the public Internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let s = v6.segments();
            // NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits.
            if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
                let [a, b] = s[6].to_be_bytes();
                let [c, d] = s[7].to_be_bytes();
                return is_public_v4(Ipv4Addr::new(a, b, c, d));
            }
            !(v6.is_unspecified()
                || v6.is_loopback()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local
                || (s[0] & 0xffc0) == 0xfe80 // link-local
                || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
                || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
                || s[..6] == [0, 0, 0, 0, 0, 0]) // IPv4-compatible, deprecated
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240) // reserved
}

/// The worker's resolver: the system's, keeping only public addresses (all of them when private
/// ones are allowed). A name with none left fails the attempt.
pub struct PublicOnly {
    pub allow_private: bool,
}

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| allow_private || is_public(a.ip()))
                .collect();
            if found.is_empty() {
                return Err("the name resolves to no public address".into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(found.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_http_urls_pass() {
        for ok in [
            "https://crm.example.org/hooks/writeathon",
            "http://93.184.216.34:8080/x",
            "https://[2606:4700::1111]/x",
        ] {
            assert!(check_url(ok, false).is_ok(), "{ok}");
        }
        for (bad, why) in [
            ("ftp://example.org/x", "webhook-error-url-scheme"),
            ("file:///etc/passwd", "webhook-error-url-scheme"),
            ("gopher://example.org", "webhook-error-url-scheme"),
            (
                "https://user:pw@example.org/",
                "webhook-error-url-credentials",
            ),
            ("http://127.0.0.1:8080/", "webhook-error-url-private"),
            ("http://localhost/", "webhook-error-url-private"),
            ("http://a.localhost/", "webhook-error-url-private"),
            ("http://10.1.2.3/", "webhook-error-url-private"),
            ("http://172.16.0.1/", "webhook-error-url-private"),
            ("http://192.168.1.1/", "webhook-error-url-private"),
            (
                "http://169.254.169.254/latest/meta-data",
                "webhook-error-url-private",
            ),
            ("http://100.64.0.1/", "webhook-error-url-private"),
            ("http://0.0.0.0/", "webhook-error-url-private"),
            ("http://[::1]/", "webhook-error-url-private"),
            ("http://[fe80::1]/", "webhook-error-url-private"),
            ("http://[fd00::1]/", "webhook-error-url-private"),
            ("http://[::ffff:127.0.0.1]/", "webhook-error-url-private"),
            ("http://[64:ff9b::a00:1]/", "webhook-error-url-private"),
            ("http://intranet/", "webhook-error-url-private"),
            ("not a url", "webhook-error-url"),
            ("", "webhook-error-url-missing"),
        ] {
            assert_eq!(check_url(bad, false).err(), Some(why), "{bad}");
        }
        assert!(check_url("http://127.0.0.1:8080/", true).is_ok());
        assert_eq!(
            check_url("ftp://127.0.0.1/", true).err(),
            Some("webhook-error-url-scheme")
        );
    }
}

//! How mail is sent: the From mailbox, where the worker delivers (an SMTP server from
//! `WRITEATHON_SMTP_URL`, or `.eml` files), its pace and its retries. Part of `Settings`; the
//! delivery itself is `outbox::transport`.

use std::path::PathBuf;
use std::time::Duration;

/// How mail is sent; part of `Settings`.
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// The From mailbox, e.g. `Writeathon <hello@example.org>`.
    pub from: String,
    /// Where the worker delivers; `None` runs no worker (messages stay queued).
    pub transport: Option<Transport>,
    /// How often an idle worker looks for due messages.
    pub poll: Duration,
    /// The first retry's delay; each further one doubles it (capped at six hours).
    pub backoff_base: Duration,
    /// After this many failed attempts a message is marked failed.
    pub max_attempts: i64,
    /// Longest one delivery may take (connect, TLS, SMTP dialogue).
    pub send_timeout: Duration,
    /// How often the reminder scheduler runs alongside the worker; `None`: never.
    pub reminders_every: Option<Duration>,
}

pub const DEFAULT_FROM: &str = "Writeathon <writeathon@localhost>";

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            from: DEFAULT_FROM.to_string(),
            transport: None,
            poll: Duration::from_secs(2),
            backoff_base: Duration::from_secs(30),
            max_attempts: 8,
            send_timeout: Duration::from_secs(30),
            reminders_every: Some(Duration::from_secs(300)),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsMode {
    None,
    StartTls,
    Tls,
}

#[derive(Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    pub credentials: Option<(String, String)>,
}

impl std::fmt::Debug for SmtpConfig {
    /// Never prints the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("credentials", &self.credentials.as_ref().map(|_| "…"))
            .finish()
    }
}

#[derive(Clone, Debug)]
pub enum Transport {
    Smtp(SmtpConfig),
    Files(PathBuf),
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl SmtpConfig {
    /// `smtp://user:pass@host:587?tls=starttls` (`tls=none|starttls|tls`; default starttls, or tls
    /// for `smtps://`; default port 25 without TLS, 587 with STARTTLS, 465 with TLS).
    pub fn parse(url: &str) -> anyhow::Result<SmtpConfig> {
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| anyhow::anyhow!("SMTP URL must look like smtp://user:pass@host:587"))?;
        let mut tls = match scheme {
            "smtp" => TlsMode::StartTls,
            "smtps" => TlsMode::Tls,
            other => {
                anyhow::bail!("unsupported SMTP URL scheme {other:?}: use smtp:// or smtps://")
            }
        };
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("tls", v)) => {
                    tls = match v {
                        "none" => TlsMode::None,
                        "starttls" => TlsMode::StartTls,
                        "tls" => TlsMode::Tls,
                        _ => anyhow::bail!("tls= must be none, starttls or tls"),
                    }
                }
                _ => anyhow::bail!("unknown SMTP URL parameter (only tls= is understood)"),
            }
        }
        let rest = rest.trim_end_matches('/');
        let (userinfo, hostport) = match rest.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, rest),
        };
        let credentials = userinfo.map(|u| {
            let (user, pass) = u.split_once(':').unwrap_or((u, ""));
            (percent_decode(user), percent_decode(pass))
        });
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || p.parse::<u16>().is_ok() => (
                h.to_string(),
                Some(
                    p.parse::<u16>()
                        .map_err(|_| anyhow::anyhow!("bad port in SMTP URL"))?,
                ),
            ),
            _ => (hostport.to_string(), None),
        };
        if host.is_empty() {
            anyhow::bail!("SMTP URL has no host");
        }
        let port = port.unwrap_or(match tls {
            TlsMode::None => 25,
            TlsMode::StartTls => 587,
            TlsMode::Tls => 465,
        });
        Ok(SmtpConfig {
            host,
            port,
            tls,
            credentials,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls() {
        let c = SmtpConfig::parse("smtp://me%40x.org:p%3Ass@mail.example.org:587?tls=starttls")
            .unwrap();
        assert_eq!(c.host, "mail.example.org");
        assert_eq!(c.port, 587);
        assert_eq!(c.tls, TlsMode::StartTls);
        assert_eq!(
            c.credentials,
            Some(("me@x.org".to_string(), "p:ss".to_string()))
        );
        assert!(!format!("{c:?}").contains("p:ss"));
        let c = SmtpConfig::parse("smtp://127.0.0.1:2525?tls=none").unwrap();
        assert_eq!((c.port, c.tls, c.credentials), (2525, TlsMode::None, None));
        let c = SmtpConfig::parse("smtps://h").unwrap();
        assert_eq!((c.port, c.tls), (465, TlsMode::Tls));
        assert!(SmtpConfig::parse("http://h").is_err());
        assert!(SmtpConfig::parse("smtp://h?tls=maybe").is_err());
    }
}

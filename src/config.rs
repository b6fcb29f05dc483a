//! Settings shared by every subcommand. Each flag also reads a `WRITEATHON_*` environment variable.

use std::path::PathBuf;

use clap::Args;

pub mod mail;
pub mod photos;
pub mod webhooks;

pub const DEFAULT_RSVP_RETENTION_DAYS: i64 = 90;

#[derive(Args, Clone, Debug)]
pub struct DbArgs {
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB. Default: SQLite in the data directory.
    #[arg(long, env = "WRITEATHON_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Where the SQLite database and other local files live.
    #[arg(long, env = "WRITEATHON_DATA_DIR", default_value = "./writeathon-data")]
    pub data_dir: PathBuf,
    /// Run as if it were this moment (RFC 3339, e.g. 2026-12-10T09:00:00Z) and let time run on
    /// from there: for rehearsals, demos and tests. Default: the system clock.
    #[arg(long, env = "WRITEATHON_CLOCK_START")]
    pub clock_start: Option<chrono::DateTime<chrono::Utc>>,
}

impl DbArgs {
    /// The process's clock, as asked.
    pub fn clock(&self) -> crate::clock::Clock {
        match self.clock_start {
            Some(start) => crate::clock::Clock::starting_at(start),
            None => crate::clock::Clock::system(),
        }
    }

    pub fn url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("writeathon.db").display()),
        }
    }
}

#[derive(Args, Clone, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "WRITEATHON_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,
    #[command(flatten)]
    pub db: DbArgs,
    /// Seed the demo campaigns when the database has no campaign yet.
    #[arg(long, env = "WRITEATHON_DEMO")]
    pub demo: bool,
    /// Erase RSVP names and addresses this many days after their campaign's report deadline.
    #[arg(long, env = "WRITEATHON_RSVP_RETENTION_DAYS", default_value_t = DEFAULT_RSVP_RETENTION_DAYS,
          value_parser = clap::value_parser!(i64).range(0..=3650))]
    pub rsvp_retention_days: i64,
    /// When an online action must carry a solved proof-of-work challenge: `auto` (when the
    /// sender's address or the whole site is above normal rates), `always`, or `off`.
    #[arg(long, env = "WRITEATHON_ACTION_CHALLENGE", value_enum, default_value_t = ActionChallenge::Auto)]
    pub action_challenge: ActionChallenge,
    /// The address people reach the site at; an https:// URL marks cookies Secure, gives the
    /// session and CSRF cookies `__Host-` names and sends Strict-Transport-Security.
    #[arg(long, env = "WRITEATHON_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Take the client's address from X-Forwarded-For, as written by reverse proxies in front of us.
    #[arg(long, env = "WRITEATHON_TRUST_PROXY")]
    pub trust_proxy: bool,
    /// With --trust-proxy: how many proxies of ours a request passes; the client's address is the
    /// X-Forwarded-For entry this many from the right (what the client wrote itself is further left).
    #[arg(long, env = "WRITEATHON_TRUSTED_PROXY_HOPS", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=16))]
    pub trusted_proxy_hops: u16,
    /// Map tiles for the event finder's map: an http(s) URL template with {z}, {x} and {y} (or a
    /// path on this site), or `none` (or an empty value) for no tiles: the map then shows country
    /// outlines served by this site. The default, OpenStreetMap's tile server, sees the IP address
    /// of every visitor who opens the finder.
    #[arg(long, env = "WRITEATHON_TILE_URL", default_value = DEFAULT_TILE_URL, value_parser = check_tile_url)]
    pub tile_url: String,
    /// Connections open at once (tally streams included); more wait to be accepted. Keep it
    /// below the process's open-files limit (`ulimit -n`).
    #[arg(long, env = "WRITEATHON_MAX_CONNECTIONS", default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_connections: u32,
    /// Seconds a client may take to send a request's head, and to start the next one on a kept
    /// connection; then the connection is closed.
    #[arg(long, env = "WRITEATHON_HEADER_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub header_timeout: u64,
    /// Where photos are kept: a folder (`file:///path`) or an S3-compatible bucket
    /// (`s3://bucket?endpoint=https://…&region=…`; keys from `AWS_ACCESS_KEY_ID` and
    /// `AWS_SECRET_ACCESS_KEY`, or `access_key_id` and `secret_access_key` in the query).
    /// Default: the `photos` folder in the data directory.
    #[arg(long, env = "WRITEATHON_OBJECT_STORE", value_parser = photos::StoreUrl::parse)]
    pub object_store: Option<photos::StoreUrl>,
    /// Largest photo file taken, in bytes.
    #[arg(long, env = "WRITEATHON_PHOTO_MAX_BYTES", default_value_t = photos::DEFAULT_MAX_BYTES,
          value_parser = clap::value_parser!(u64).range(1024..=1024 * 1024 * 1024))]
    pub photo_max_bytes: u64,
    /// Let webhooks reach loopback, private and link-local addresses (a receiver on this host or
    /// network). Off by default: an administrator's URL could otherwise make the server call the
    /// machines behind it.
    #[arg(long, env = "WRITEATHON_WEBHOOK_ALLOW_PRIVATE")]
    pub webhook_allow_private: bool,
    /// Seconds one webhook delivery may take; a delivery claimed by a process that died is sent
    /// again after about twice this plus five seconds.
    #[arg(long, env = "WRITEATHON_WEBHOOK_TIMEOUT", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=120))]
    pub webhook_timeout: u64,
    /// Serve /metrics on the public address to requests with `Authorization: Bearer <this>`
    /// (at least 16 characters). Without it, /metrics is not on the public address.
    #[arg(long, env = "WRITEATHON_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// Also serve /metrics, without a token, on this address (one only Prometheus can reach).
    #[arg(long, env = "WRITEATHON_METRICS_LISTEN")]
    pub metrics_listen: Option<String>,
    /// Seconds between SIGTERM and closing the listener: /readyz answers 503 meanwhile, so a load
    /// balancer stops sending before the node stops taking requests; then requests in flight end.
    #[arg(long, env = "WRITEATHON_SHUTDOWN_GRACE", default_value_t = 5, value_parser = clap::value_parser!(u64).range(0..=600))]
    pub shutdown_grace: u64,
    /// Tally streams one client (one address; IPv6: one /64) may hold open; more get 429.
    #[arg(long, env = "WRITEATHON_TALLY_STREAMS_PER_CLIENT", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..))]
    pub tally_streams_per_client: u32,
    /// A directory of extra fonts for the printed kits (`.ttf`, `.otf`, `.ttc`), e.g. Noto Sans
    /// CJK for Chinese, Japanese and Korean texts; Latin, Greek, Cyrillic and Arabic are built in.
    #[arg(long, env = "WRITEATHON_KIT_FONT_DIR")]
    pub kit_font_dir: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub mail: MailArgs,
}

#[derive(Args, Clone, Debug)]
pub struct MailArgs {
    /// SMTP server: smtp://USER:PASS@HOST:587?tls=starttls (tls=none|starttls|tls). Without it,
    /// messages are written as .eml files under <data-dir>/outbox/.
    #[arg(long, env = "WRITEATHON_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The From address of every message.
    #[arg(long, env = "WRITEATHON_MAIL_FROM", default_value = mail::DEFAULT_FROM)]
    pub mail_from: String,
    /// Longest one delivery may take, in seconds (connect, TLS, SMTP dialogue). A worker that dies
    /// leaves its claimed messages to others after about 21 times this.
    #[arg(long, env = "WRITEATHON_SMTP_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub smtp_timeout: u64,
}

impl MailArgs {
    pub fn settings(&self, data_dir: &std::path::Path) -> anyhow::Result<mail::MailSettings> {
        let transport = match &self.smtp_url {
            Some(url) if !url.is_empty() => mail::Transport::Smtp(mail::SmtpConfig::parse(url)?),
            _ => mail::Transport::Files(data_dir.join("outbox")),
        };
        self.mail_from
            .parse::<lettre::message::Mailbox>()
            .map_err(|e| anyhow::anyhow!("--mail-from: {e}"))?;
        Ok(mail::MailSettings {
            from: self.mail_from.clone(),
            transport: Some(transport),
            send_timeout: std::time::Duration::from_secs(self.smtp_timeout),
            ..Default::default()
        })
    }
}

/// `writeathon worker`: delivers queued mail and queues reminders, for running apart from `serve`.
#[derive(Args, Clone, Debug)]
pub struct WorkerArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// The address people reach the site at, for the links in reminders.
    #[arg(
        long,
        env = "WRITEATHON_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    pub public_url: String,
    #[command(flatten)]
    pub mail: MailArgs,
}

pub const DEFAULT_TILE_URL: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

/// The `--tile-url` value that turns map tiles off (an empty value does too).
pub const NO_TILES: &str = "none";

/// The tile template a `--tile-url` value names, or `None` for no tiles (`none`, any case, or empty).
pub fn tile_template(value: &str) -> Option<&str> {
    let value = value.trim();
    if value.is_empty() || value.eq_ignore_ascii_case(NO_TILES) {
        None
    } else {
        Some(value)
    }
}

/// Checks a `--tile-url` value at startup, so a typo is refused instead of a map of broken tiles
/// or a broken Content-Security-Policy: `none`, empty, an http(s) URL or a path on this site, with
/// {z}, {x} and {y}.
fn check_tile_url(value: &str) -> Result<String, String> {
    let Some(template) = tile_template(value) else {
        return Ok(value.trim().to_string());
    };
    let remote = template
        .strip_prefix("https://")
        .or_else(|| template.strip_prefix("http://"));
    let well_formed = match remote {
        Some(rest) => {
            !rest.starts_with('/') && !rest.split('/').next().unwrap_or_default().is_empty()
        }
        None => template.starts_with('/') && !template.starts_with("//"),
    };
    if !well_formed {
        return Err(format!(
            "expected an http(s):// URL or a /path, or `{NO_TILES}` for no tiles"
        ));
    }
    if template
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, ';' | ',' | '\'' | '"'))
    {
        return Err("a tile URL has no spaces, quotes, commas or semicolons".to_string());
    }
    if ["{z}", "{x}", "{y}"].iter().any(|p| !template.contains(p)) {
        return Err("a tile URL template needs {z}, {x} and {y}".to_string());
    }
    Ok(template.to_string())
}

/// What the running web application needs to know, independent of how it was started.
#[derive(Clone, Debug)]
pub struct Settings {
    pub public_url: String,
    /// The public URL is https: cookies are Secure and the session and CSRF cookies are named
    /// with the `__Host-` prefix; responses carry `Strict-Transport-Security`.
    pub secure_cookies: bool,
    pub trust_proxy: bool,
    /// Proxies of ours in a row in front of the server: the client's address is the one this many
    /// entries from the right of `X-Forwarded-For`.
    pub trusted_proxy_hops: usize,
    /// The finder map's tile template; `None`: no tiles, the map shows country outlines only.
    pub tile_url: Option<String>,
    /// Connections open at once; more wait in the listen queue.
    pub max_connections: usize,
    /// Longest a client may take over a request head (or idle before the next one).
    pub header_timeout: std::time::Duration,
    /// Tally streams one client may hold open.
    pub tally_streams_per_client: usize,
    /// How long the node keeps serving, unready, after it was told to stop (`--shutdown-grace`).
    pub shutdown_grace: std::time::Duration,
    /// The bearer token that opens /metrics on the public listener; none: 404 there.
    pub metrics_token: Option<String>,
    /// The Content-Security-Policy: its `img-src` names the tile server's origin, and no other
    /// origin but this site's (none at all when there are no tiles or they come from this site).
    pub csp: String,
    /// Outgoing mail: the From address and where the worker delivers (none by default).
    pub mail: mail::MailSettings,
    /// RSVP names and addresses are erased this many days after their campaign's report deadline.
    pub rsvp_retention_days: i64,
    /// Photos: the object store, the size cap and the quotas.
    pub photos: photos::PhotoSettings,
    /// Webhooks: which addresses they may reach, the worker's pace.
    pub webhooks: webhooks::WebhookSettings,
    /// When online actions need a solved proof-of-work challenge.
    pub action_challenge: ActionChallenge,
}

/// When an online action must carry a solved proof-of-work challenge (`--action-challenge`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ActionChallenge {
    /// When the sender's address or the whole site sends more actions than usual.
    #[default]
    Auto,
    Always,
    Off,
}

impl Settings {
    /// `tile_url`: a tile template, or `none` / empty for no tiles (see [`tile_template`]).
    pub fn new(public_url: &str, trust_proxy: bool, tile_url: &str) -> Settings {
        let public_url = public_url.trim_end_matches('/').to_string();
        let mut settings = Settings {
            secure_cookies: public_url.starts_with("https://"),
            public_url,
            trust_proxy,
            trusted_proxy_hops: 1,
            tile_url: None,
            max_connections: 10_000,
            header_timeout: std::time::Duration::from_secs(10),
            tally_streams_per_client: 8,
            shutdown_grace: std::time::Duration::ZERO,
            metrics_token: None,
            csp: String::new(),
            mail: mail::MailSettings::default(),
            rsvp_retention_days: DEFAULT_RSVP_RETENTION_DAYS,
            photos: photos::PhotoSettings::default(),
            webhooks: webhooks::WebhookSettings::default(),
            action_challenge: ActionChallenge::Auto,
        };
        settings.set_tile_url(tile_url);
        settings
    }

    /// Sets the map's tiles (a template, or `none` / empty for none) and the CSP that goes with
    /// them: `img-src` names the tile server's origin when it is another site, else no origin.
    pub fn set_tile_url(&mut self, tile_url: &str) {
        self.tile_url = tile_template(tile_url).map(str::to_string);
        let tile_origin = self
            .tile_url
            .as_deref()
            .and_then(|url| url.split_once("://"))
            .map(|(scheme, rest)| {
                format!(" {scheme}://{}", rest.split('/').next().unwrap_or_default())
            })
            .unwrap_or_default();
        self.csp = format!(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:{tile_origin}; \
             connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
             frame-ancestors 'none'"
        );
    }

    pub fn from_serve(args: &ServeArgs, bound: std::net::SocketAddr) -> anyhow::Result<Settings> {
        let public_url = args
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{bound}"));
        let mut settings = Settings::new(&public_url, args.trust_proxy, &args.tile_url);
        settings.trusted_proxy_hops = usize::from(args.trusted_proxy_hops);
        settings.max_connections = args.max_connections as usize;
        settings.header_timeout = std::time::Duration::from_secs(args.header_timeout);
        settings.shutdown_grace = std::time::Duration::from_secs(args.shutdown_grace);
        settings.tally_streams_per_client = args.tally_streams_per_client as usize;
        settings.metrics_token = match args.metrics_token.as_deref() {
            None | Some("") => None,
            Some(t) if t.len() < 16 => anyhow::bail!("--metrics-token: use at least 16 characters"),
            Some(t) => Some(t.to_string()),
        };
        settings.mail = args.mail.settings(&args.db.data_dir)?;
        settings.rsvp_retention_days = args.rsvp_retention_days;
        settings.action_challenge = args.action_challenge;
        settings.photos.store =
            photos::StoreUrl::given_or_default(args.object_store.as_ref(), &args.db.data_dir)?;
        settings.photos.max_bytes = args.photo_max_bytes;
        settings.webhooks.allow_private = args.webhook_allow_private;
        settings.webhooks.timeout = std::time::Duration::from_secs(args.webhook_timeout);
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_urls_are_checked() {
        assert_eq!(check_tile_url(DEFAULT_TILE_URL).unwrap(), DEFAULT_TILE_URL);
        assert_eq!(
            check_tile_url("/tiles/{z}/{x}/{y}.png").unwrap(),
            "/tiles/{z}/{x}/{y}.png"
        );
        assert_eq!(
            check_tile_url(" https://tiles.example.org/{z}/{x}/{y}.png ").unwrap(),
            "https://tiles.example.org/{z}/{x}/{y}.png"
        );
        for off in ["none", "NONE", "", "  "] {
            assert_eq!(
                tile_template(&check_tile_url(off).unwrap()),
                None,
                "{off:?}"
            );
        }
        for bad in [
            "tile.openstreetmap.org/{z}/{x}/{y}.png",
            "//tiles.example.org/{z}/{x}/{y}.png",
            "https:///{z}/{x}/{y}.png",
            "ftp://tiles.example.org/{z}/{x}/{y}.png",
            "https://tiles.example.org/tiles.png",
            "https://tiles.example.org/{z}/{x}/{y}.png; script-src *",
            "https://a.example.org/{z}/{x}/{y}.png https://b.example.org",
        ] {
            assert!(check_tile_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_csp_names_the_tile_origin_and_no_other() {
        let osm = Settings::new("http://127.0.0.1:8080", false, DEFAULT_TILE_URL);
        assert_eq!(osm.tile_url.as_deref(), Some(DEFAULT_TILE_URL));
        assert!(
            osm.csp
                .contains("img-src 'self' data: https://tile.openstreetmap.org;")
        );
        for off in [NO_TILES, "", "None"] {
            let s = Settings::new("http://127.0.0.1:8080", false, off);
            assert_eq!(s.tile_url, None);
            assert!(s.csp.contains("img-src 'self' data:;"), "{}", s.csp);
            assert!(!s.csp.contains("://"), "{}", s.csp);
        }
        let own = Settings::new("https://w.example.org", false, "/tiles/{z}/{x}/{y}.png");
        assert!(own.csp.contains("img-src 'self' data:;"), "{}", own.csp);
    }
}

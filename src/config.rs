//! Settings shared by every subcommand. Each flag also reads a `WRITEATHON_*` environment variable.

use std::path::PathBuf;

use clap::Args;

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
    /// Map tiles for the event finder's map ({z}/{x}/{y} template).
    #[arg(long, env = "WRITEATHON_TILE_URL", default_value = DEFAULT_TILE_URL)]
    pub tile_url: String,
    /// Connections open at once (tally streams included); more wait to be accepted. Keep it
    /// below the process's open-files limit (`ulimit -n`).
    #[arg(long, env = "WRITEATHON_MAX_CONNECTIONS", default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_connections: u32,
    /// Seconds a client may take to send a request's head, and to start the next one on a kept
    /// connection; then the connection is closed.
    #[arg(long, env = "WRITEATHON_HEADER_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub header_timeout: u64,
    /// Serve /metrics on the public address to requests with `Authorization: Bearer <this>`
    /// (at least 16 characters). Without it, /metrics is not on the public address.
    #[arg(long, env = "WRITEATHON_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// Also serve /metrics, without a token, on this address (one only Prometheus can reach).
    #[arg(long, env = "WRITEATHON_METRICS_LISTEN")]
    pub metrics_listen: Option<String>,
    /// Tally streams one client (one address; IPv6: one /64) may hold open; more get 429.
    #[arg(long, env = "WRITEATHON_TALLY_STREAMS_PER_CLIENT", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..))]
    pub tally_streams_per_client: u32,
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
    #[arg(long, env = "WRITEATHON_MAIL_FROM", default_value = crate::mail::DEFAULT_FROM)]
    pub mail_from: String,
    /// Longest one delivery may take, in seconds (connect, TLS, SMTP dialogue). A worker that dies
    /// leaves its claimed messages to others after about 21 times this.
    #[arg(long, env = "WRITEATHON_SMTP_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub smtp_timeout: u64,
}

impl MailArgs {
    pub fn settings(
        &self,
        data_dir: &std::path::Path,
    ) -> anyhow::Result<crate::mail::MailSettings> {
        let transport = match &self.smtp_url {
            Some(url) if !url.is_empty() => {
                crate::mail::Transport::Smtp(crate::mail::transport::SmtpConfig::parse(url)?)
            }
            _ => crate::mail::Transport::Files(data_dir.join("outbox")),
        };
        self.mail_from
            .parse::<lettre::message::Mailbox>()
            .map_err(|e| anyhow::anyhow!("--mail-from: {e}"))?;
        Ok(crate::mail::MailSettings {
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
    pub tile_url: String,
    /// Connections open at once; more wait in the listen queue.
    pub max_connections: usize,
    /// Longest a client may take over a request head (or idle before the next one).
    pub header_timeout: std::time::Duration,
    /// Tally streams one client may hold open.
    pub tally_streams_per_client: usize,
    /// The bearer token that opens /metrics on the public listener; none: 404 there.
    pub metrics_token: Option<String>,
    /// The Content-Security-Policy, which must allow the tile server's images.
    pub csp: String,
    /// Outgoing mail: the From address and where the worker delivers (none by default).
    pub mail: crate::mail::MailSettings,
    /// RSVP names and addresses are erased this many days after their campaign's report deadline.
    pub rsvp_retention_days: i64,
}

impl Settings {
    pub fn new(public_url: &str, trust_proxy: bool, tile_url: &str) -> Settings {
        let public_url = public_url.trim_end_matches('/').to_string();
        let tile_origin: String = match tile_url.split_once("://") {
            Some((scheme, rest)) => {
                format!("{scheme}://{}", rest.split('/').next().unwrap_or_default())
            }
            None => String::new(),
        };
        let csp = format!(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: {tile_origin}; \
             connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
             frame-ancestors 'none'"
        );
        Settings {
            secure_cookies: public_url.starts_with("https://"),
            public_url,
            trust_proxy,
            trusted_proxy_hops: 1,
            tile_url: tile_url.to_string(),
            max_connections: 10_000,
            header_timeout: std::time::Duration::from_secs(10),
            tally_streams_per_client: 8,
            metrics_token: None,
            csp,
            mail: crate::mail::MailSettings::default(),
            rsvp_retention_days: DEFAULT_RSVP_RETENTION_DAYS,
        }
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
        settings.tally_streams_per_client = args.tally_streams_per_client as usize;
        settings.metrics_token = match args.metrics_token.as_deref() {
            None | Some("") => None,
            Some(t) if t.len() < 16 => anyhow::bail!("--metrics-token: use at least 16 characters"),
            Some(t) => Some(t.to_string()),
        };
        settings.mail = args.mail.settings(&args.db.data_dir)?;
        settings.rsvp_retention_days = args.rsvp_retention_days;
        Ok(settings)
    }
}

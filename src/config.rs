//! Settings shared by every subcommand. Each flag also reads a `WRITEATHON_*` environment variable.

use std::path::PathBuf;

use clap::Args;

#[derive(Args, Clone, Debug)]
pub struct DbArgs {
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB. Default: SQLite in the data directory.
    #[arg(long, env = "WRITEATHON_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Where the SQLite database and other local files live.
    #[arg(long, env = "WRITEATHON_DATA_DIR", default_value = "./writeathon-data")]
    pub data_dir: PathBuf,
}

impl DbArgs {
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
    /// The address people reach the site at; an https:// URL marks cookies Secure.
    #[arg(long, env = "WRITEATHON_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Trust X-Forwarded-For / X-Forwarded-Proto from a reverse proxy in front of us.
    #[arg(long, env = "WRITEATHON_TRUST_PROXY")]
    pub trust_proxy: bool,
}

/// What the running web application needs to know, independent of how it was started.
#[derive(Clone, Debug)]
pub struct Settings {
    pub public_url: String,
    pub secure_cookies: bool,
    pub trust_proxy: bool,
}

impl Settings {
    pub fn from_serve(args: &ServeArgs, bound: std::net::SocketAddr) -> Settings {
        let public_url = args
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{bound}"))
            .trim_end_matches('/')
            .to_string();
        Settings {
            secure_cookies: public_url.starts_with("https://"),
            public_url,
            trust_proxy: args.trust_proxy,
        }
    }
}

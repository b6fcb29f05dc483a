//! The `writeathon` command line: one binary for serving, migrating, seeding and operators' tasks.

use std::io::Read;

use clap::{Parser, Subcommand};

use crate::accounts::{self, Role};
use crate::clock::Clock;
use crate::config::photos::StoreUrl;
use crate::config::{DbArgs, ServeArgs, WorkerArgs};
use crate::db::Db;

#[derive(Parser, Debug)]
#[command(
    name = "writeathon",
    version,
    about = "Run a global letter-writing campaign"
)]
pub struct Cli {
    /// Threads that serve requests (default: one per core).
    #[arg(long, global = true, env = "WRITEATHON_WORKERS", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub workers: Option<u16>,
    /// How log lines are written to standard error: `text` for people to read, `json` for a log
    /// collector (one object per line; a request's lines carry its `request_id`).
    #[arg(long, global = true, env = "WRITEATHON_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl Cli {
    /// How many threads the runtime gets: one per core unless told. The database's own work runs
    /// beside them (each SQLite connection and the report committer have threads of their own).
    /// On two cores, one request thread left more to the committer (ingest at 256 reports in
    /// flight 9% faster) but served the finder 20–25% slower, so it is a choice for a node that
    /// takes reports only (BENCHMARKS.md, report ingest).
    pub fn worker_threads(&self) -> usize {
        match self.workers {
            Some(n) => usize::from(n),
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the web site and the API.
    Serve(ServeArgs),
    /// Deliver queued mail (the same worker `serve` runs), for a separate deployment.
    Worker(WorkerArgs),
    /// Create or upgrade the database schema.
    Migrate(DbArgs),
    /// Add the demo campaigns, cases and content.
    SeedDemo(DbArgs),
    /// Add N generated events to a campaign, for benchmarks (bench/finder.sh).
    #[command(hide = true)]
    SeedBench(crate::demo::bench::SeedBenchArgs),
    /// Recount the tally from the reports; print and repair any drift (exit 1 if there was any).
    Reconcile {
        #[arg(long)]
        campaign: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Write a consistent snapshot of everything to FILE, while the server keeps serving.
    Backup {
        #[arg(long, value_name = "FILE")]
        to: std::path::PathBuf,
        /// List the photos' files in the archive without their bytes (copy the store yourself).
        #[arg(long)]
        no_media: bool,
        /// The photos' object store (as for `serve`; default: `photos` in the data directory).
        #[arg(long, env = "WRITEATHON_OBJECT_STORE", value_parser = StoreUrl::parse)]
        object_store: Option<StoreUrl>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Restore a backup into an empty database of either backend (SQLite to PostgreSQL works).
    Restore {
        #[arg(long, value_name = "FILE")]
        from: std::path::PathBuf,
        /// Erase everything in the target database first.
        #[arg(long)]
        force: bool,
        /// Where the photos' files go (as for `serve`; default: `photos` in the data directory).
        #[arg(long, env = "WRITEATHON_OBJECT_STORE", value_parser = StoreUrl::parse)]
        object_store: Option<StoreUrl>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add an account; the password is read from standard input.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "host")]
        role: String,
        /// For staff: the country (ISO 3166-1 alpha-2) they look after; none means all countries.
        #[arg(long)]
        country: Option<String>,
        #[arg(long, required = true)]
        password_stdin: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Print one new API bearer token for the account on standard output.
    Issue {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "command line")]
        label: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// Opens and migrates the database; seeds the demo when asked and there is no campaign yet.
pub async fn prepare(url: &str, demo: bool, clock: Clock) -> anyhow::Result<Db> {
    let db = Db::connect(url).await?.with_clock(clock);
    db.migrate().await?;
    if demo && crate::campaigns::store::count(&db).await? == 0 {
        crate::demo::seed(&db).await?;
    }
    Ok(db)
}

fn photo_store(given: Option<&StoreUrl>, db: &DbArgs) -> anyhow::Result<crate::photos::PhotoStore> {
    let url = StoreUrl::given_or_default(given, &db.data_dir)?;
    crate::photos::PhotoStore::open(&url)
}

async fn open(db: &DbArgs) -> anyhow::Result<Db> {
    let db = Db::connect(&db.url()).await?.with_clock(db.clock());
    db.migrate().await?;
    Ok(db)
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => {
            crate::kits::typeset::set_font_dir(args.kit_font_dir.as_deref());
            let db = prepare(&args.db.url(), args.demo, args.db.clock()).await?;
            if args.demo {
                let store = photo_store(args.object_store.as_ref(), &args.db)?;
                crate::demo::photos::seed(&db, &store).await?;
            }
            crate::app::serve(args, db).await
        }
        Command::Worker(args) => {
            let db = open(&args.db).await?;
            let mut settings = crate::config::Settings::new(
                &args.public_url,
                false,
                crate::config::DEFAULT_TILE_URL,
            );
            settings.mail = args.mail.settings(&args.db.data_dir)?;
            crate::mail::run_alone(db, settings).await
        }
        Command::Migrate(args) => {
            open(&args).await?;
            eprintln!("database is up to date");
            Ok(())
        }
        Command::SeedDemo(args) => {
            let db = open(&args).await?;
            let added = crate::demo::seed(&db).await?;
            // Into the data directory's folder (`serve --demo` uses `--object-store`).
            let photos = crate::demo::photos::seed(&db, &photo_store(None, &args)?).await?;
            eprintln!("demo data: {added} campaign(s) added, {photos} photo(s)");
            Ok(())
        }
        Command::SeedBench(args) => {
            let db = open(&args.db).await?;
            crate::demo::bench::seed_bench_command(&db, &args).await
        }
        Command::Reconcile { campaign, db } => {
            let db = open(&db).await?;
            let drift = crate::reports::reconcile::reconcile(&db, campaign.as_deref()).await?;
            if drift.is_empty() {
                eprintln!("the tally matches the reports");
                return Ok(());
            }
            for (slug, dim, key, stored, recounted) in &drift {
                println!("{slug} {dim} {key:?}: stored {stored:?}, recounted {recounted:?}");
            }
            eprintln!("{} counter(s) differed and were repaired", drift.len());
            std::process::exit(1);
        }
        Command::Backup {
            to,
            no_media,
            object_store,
            db,
        } => {
            let store = photo_store(object_store.as_ref(), &db)?;
            let db = open(&db).await?;
            let media = if no_media {
                crate::backup::Media::List(&store)
            } else {
                crate::backup::Media::Include(&store)
            };
            let manifest = crate::backup::backup(&db, &to, media).await?;
            let rows: u64 = manifest.tables.iter().map(|t| t.rows).sum();
            eprintln!(
                "backup written to {}: {} tables, {rows} rows, {} photo files{}, schema version {}",
                to.display(),
                manifest.tables.len(),
                manifest.media.len(),
                if no_media { " listed" } else { "" },
                manifest.schema_version
            );
            Ok(())
        }
        Command::Restore {
            from,
            force,
            object_store,
            db,
        } => {
            let store = photo_store(object_store.as_ref(), &db)?;
            let db = Db::connect(&db.url()).await?.with_clock(db.clock());
            let restored = crate::backup::restore(&db, &from, force, Some(&store)).await?;
            if !restored.manifest.media_included && !restored.manifest.media.is_empty() {
                eprintln!(
                    "the archive lists {} photo files without their bytes: copy them into the object store yourself",
                    restored.manifest.media.len()
                );
            }
            eprintln!(
                "restored {} rows in {} tables and {} photo files from {} (schema version {}); {}",
                restored.rows,
                restored.manifest.tables.len(),
                restored.media,
                from.display(),
                restored.manifest.schema_version,
                if restored.drift == 0 {
                    "the tally matches the reports".to_string()
                } else {
                    format!("{} tally counter(s) repaired", restored.drift)
                }
            );
            Ok(())
        }
        Command::User(UserCommand::Add {
            email,
            name,
            role,
            country,
            password_stdin: _,
            db,
        }) => {
            let role: Role = role
                .parse()
                .map_err(|_| anyhow::anyhow!("--role must be host, staff or admin"))?;
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']).to_string();
            let db = open(&db).await?;
            let new = accounts::NewAccount::parse(&email, &name, &password)
                .map_err(|errors| anyhow::anyhow!("{}", errors.describe_in_english()))?;
            let country = country.map(|c| c.to_ascii_uppercase());
            let id = accounts::store::create(&db, &new, role, country.as_deref())
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.describe_in_english()))?;
            eprintln!("account {id} added");
            Ok(())
        }
        Command::Token(TokenCommand::Issue { email, label, db }) => {
            let db = open(&db).await?;
            let account = accounts::store::find_by_email(&db, &email)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no account with that email"))?;
            if !account.email_confirmed {
                anyhow::bail!("that account's email address is not confirmed yet: no API token");
            }
            let token = accounts::tokens::issue(&db, account.id, &label).await?;
            println!("{token}");
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serve_refuses_a_tile_url_that_is_not_one() {
        use clap::Parser;
        let parse = |value: &str| Cli::try_parse_from(["writeathon", "serve", "--tile-url", value]);
        for good in [
            crate::config::NO_TILES,
            "",
            "https://tiles.example.org/{z}/{x}/{y}.png",
        ] {
            assert!(parse(good).is_ok(), "{good:?}");
        }
        let err = parse("tile.example.org/{z}/{x}/{y}.png").unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ValueValidation);
        assert!(err.to_string().contains("--tile-url"), "{err}");
    }
}

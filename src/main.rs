use clap::Parser;
use tracing_subscriber::EnvFilter;

// The server allocates small short-lived buffers on several threads at once (requests, rows,
// the committer's batches); mimalloc's per-thread heaps spend less time in malloc and free than
// glibc's arenas (BENCHMARKS.md, report ingest).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = writeathon::cli::Cli::parse();
    let filter = EnvFilter::try_from_env("WRITEATHON_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match cli.log_format {
        writeathon::cli::LogFormat::Json => builder.json().init(),
        writeathon::cli::LogFormat::Text => builder.init(),
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cli.worker_threads())
        .enable_all()
        .build();
    let result = match runtime {
        Ok(runtime) => runtime.block_on(writeathon::cli::run(cli)),
        Err(err) => Err(err.into()),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

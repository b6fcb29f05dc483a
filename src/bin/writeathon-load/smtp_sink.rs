//! `smtp-sink`: an SMTP server on loopback that takes every message and keeps none, to measure
//! how fast the outbox worker delivers (BENCHMARKS.md, online actions). It speaks just enough
//! SMTP for lettre (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; pipelined commands are answered
//! in order). Every second it prints the messages taken so far; after `--until` messages it
//! prints the rate from the first to the last and stops. With `--hold` it accepts connections
//! and never answers: a worker that cannot deliver, without failing either.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;

use super::SmtpSinkArgs;

pub(crate) async fn run(args: SmtpSinkArgs) -> anyhow::Result<()> {
    let listener = TcpListener::bind(&args.listen).await?;
    let taken = Arc::new(AtomicU64::new(0));
    let first: Arc<Mutex<Option<Instant>>> = Arc::default();
    let last: Arc<Mutex<Option<Instant>>> = Arc::default();
    let (hold, until) = (args.hold, args.until);
    let report = {
        let taken = taken.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(1)).await;
                eprintln!("smtp-sink: {} messages", taken.load(Ordering::Relaxed));
            }
        })
    };
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _) = accepted?;
                if hold {
                    // Kept open, never answered.
                    tokio::spawn(async move {
                        let _stream = stream;
                        std::future::pending::<()>().await
                    });
                    continue;
                }
                let (taken, first, last) = (taken.clone(), first.clone(), last.clone());
                tokio::spawn(async move {
                    let _ = session(stream, &taken, &first, &last).await;
                });
            }
            _ = tokio::time::sleep(Duration::from_millis(50)), if until > 0 => {
                if taken.load(Ordering::Relaxed) >= until {
                    break;
                }
            }
        }
    }
    report.abort();
    let n = taken.load(Ordering::Relaxed);
    let (first, last) = (first.lock().await.take(), last.lock().await.take());
    let secs = match (first, last) {
        (Some(f), Some(l)) => l.duration_since(f).as_secs_f64().max(1e-3),
        _ => 1.0,
    };
    println!(
        "smtp-sink: {n} messages in {secs:.2} s from the first to the last = {:.0}/s",
        n as f64 / secs
    );
    println!(
        "RESULT smtp_messages={n} smtp_messages_per_s={:.0}",
        n as f64 / secs
    );
    Ok(())
}

async fn session(
    stream: TcpStream,
    taken: &AtomicU64,
    first: &Mutex<Option<Instant>>,
    last: &Mutex<Option<Instant>>,
) -> anyhow::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink ESMTP\r\n").await?;
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
        let answer: &[u8] = match verb.as_str() {
            "EHLO" => b"250-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 10000000\r\n",
            "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
            "DATA" => {
                write.write_all(b"354 go on\r\n").await?;
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                }
                let now = Instant::now();
                first.lock().await.get_or_insert(now);
                *last.lock().await = Some(now);
                taken.fetch_add(1, Ordering::Relaxed);
                b"250 taken\r\n"
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 not here\r\n",
        };
        write.write_all(answer).await?;
    }
}

//! Group commit for new reports: many concurrent reports go into one transaction, and each caller
//! is answered only after that transaction is committed. One durable commit (fsync) then
//! acknowledges a whole batch, which is how ingest keeps up on the global day without weakening
//! durability.

use std::collections::HashSet;
use std::sync::Arc;

use tokio::sync::{Mutex, mpsc, oneshot};

use sqlx::Any;
use sqlx::pool::PoolConnection;

use super::ingest::{self, NewReport};
use crate::db::{Backend, Db};
use crate::error::{Error, Result};
use crate::state::Metrics;
use crate::tally::TallyHub;
use crate::web::idempotency::StoredResponse;

/// Largest batch: bounds the time one transaction holds the write lock.
const MAX_BATCH: usize = 512;

struct Job {
    report: NewReport,
    answer: oneshot::Sender<Result<StoredResponse>>,
}

/// The handle handlers submit reports through. Cheap to clone.
#[derive(Clone)]
pub struct Committer {
    jobs: mpsc::Sender<Job>,
}

impl crate::state::AppState {
    /// The committer this process's handlers submit reports through.
    pub fn reports(&self) -> &Committer {
        self.service()
    }
}

impl Committer {
    pub fn start(db: Db, tally: TallyHub, metrics: Arc<Metrics>) -> Committer {
        let (jobs, rx) = mpsc::channel(8192);
        let rx = Arc::new(Mutex::new(rx));
        // SQLite has one writer at a time: a second committer would only queue for the lock. On
        // PostgreSQL a second one sends its batch while the first waits for its round trips and
        // its commit. They take row locks in one order (events, counters and keys each sorted,
        // in the same sequence of statements), so they can wait for each other but not deadlock.
        match db.backend {
            // A thread of its own: each statement hands over to sqlx's SQLite thread and back,
            // and a task woken from outside the runtime waits in its shared queue behind every
            // request being served — ten times per batch. Alone on its thread the committer
            // resumes at once, and the batch holds the write lock for less time (BENCHMARKS.md).
            Backend::Sqlite => {
                let committer = run(db, tally, metrics, rx);
                std::thread::Builder::new()
                    .name("report-committer".into())
                    .spawn(move || {
                        match tokio::runtime::Builder::new_current_thread()
                            .enable_all()
                            .build()
                        {
                            Ok(runtime) => runtime.block_on(committer),
                            Err(err) => {
                                tracing::error!(error = %err, "no runtime for the report committer")
                            }
                        }
                    })
                    .expect("a thread for the report committer");
            }
            Backend::Postgres => {
                for _ in 0..2 {
                    tokio::spawn(run(db.clone(), tally.clone(), metrics.clone(), rx.clone()));
                }
            }
        }
        Committer { jobs }
    }

    /// Commits the report (with others arriving at the same time) and returns its answer.
    pub async fn submit(&self, report: NewReport) -> Result<StoredResponse> {
        let (answer, receive) = oneshot::channel();
        self.jobs
            .send(Job { report, answer })
            .await
            .map_err(|_| Error::Internal(anyhow::anyhow!("the report committer has stopped")))?;
        receive.await.map_err(|_| {
            Error::Internal(anyhow::anyhow!("the report committer dropped a report"))
        })?
    }
}

async fn run(db: Db, tally: TallyHub, metrics: Arc<Metrics>, rx: Arc<Mutex<mpsc::Receiver<Job>>>) {
    // A connection of its own, kept across batches: no batch waits for the pool, and its
    // statements stay prepared and its pages cached (BENCHMARKS.md, report ingest).
    let mut conn = None;
    loop {
        // The next batch: what is waiting, or the next report to arrive.
        let jobs = {
            let mut rx = rx.lock().await;
            let Some(first) = rx.recv().await else { return };
            let mut jobs = vec![first];
            while jobs.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(job) => jobs.push(job),
                    Err(_) => break,
                }
            }
            jobs
        };
        let campaigns: std::collections::BTreeSet<i64> =
            jobs.iter().map(|j| j.report.campaign_id).collect();
        // A key sent twice at once (a client's quick retry): the repeat waits for the first
        // one's commit and then replays its answer, as it would have in a later batch.
        let mut keys = HashSet::new();
        let (batch, repeats): (Vec<Job>, Vec<Job>) = jobs.into_iter().partition(|j| {
            j.report
                .idempotency
                .as_ref()
                .is_none_or(|k| keys.insert((k.id().0, k.id().1.to_string())))
        });
        let started = std::time::Instant::now();
        metrics.report_batch.observe(batch.len() as f64);
        commit(&db, &mut conn, batch).await;
        metrics
            .report_commit
            .observe(started.elapsed().as_secs_f64());
        for job in repeats {
            commit(&db, &mut conn, vec![job]).await;
        }
        for campaign in campaigns {
            tally.changed(campaign).await;
        }
    }
}

/// The committer's connection: the one it holds, or one taken from the pool.
async fn connection<'a>(
    db: &Db,
    slot: &'a mut Option<PoolConnection<Any>>,
) -> Result<&'a mut PoolConnection<Any>> {
    match slot {
        Some(conn) => Ok(conn),
        None => Ok(slot.insert(db.pool.acquire().await?)),
    }
}

/// Commits a batch and answers each caller.
async fn commit(db: &Db, slot: &mut Option<PoolConnection<Any>>, jobs: Vec<Job>) {
    let (reports, answers): (Vec<NewReport>, Vec<_>) =
        jobs.into_iter().map(|j| (j.report, j.answer)).unzip();
    let conn = match connection(db, slot).await {
        Ok(conn) => conn,
        Err(err) => {
            // The database is out of reach: answer now rather than wait again for each report.
            tracing::error!(error = %err, batch = reports.len(), "no connection for the report committer");
            for answer in answers {
                let cause = anyhow::anyhow!("no database connection for the report committer");
                let _ = answer.send(Err(Error::Internal(cause)));
            }
            return;
        }
    };
    match ingest::add_new(db.backend, conn, db.now_ms(), &reports).await {
        Ok(outcomes) => {
            for (answer, outcome) in answers.into_iter().zip(outcomes) {
                let _ = answer.send(outcome);
            }
        }
        Err(err) => {
            // One bad report (say, a case deleted meanwhile) must not fail the others: the batch
            // was rolled back as a whole, so commit them one by one.
            if reports.len() > 1 {
                tracing::warn!(error = %err, batch = reports.len(), "batch failed; committing one by one");
            }
            for (report, answer) in reports.iter().zip(answers) {
                let _ = answer.send(commit_alone(db, slot, report).await);
            }
        }
    }
}

/// Commits one report, trying twice: on PostgreSQL, its idempotency key may have been written
/// by the other committer's batch meanwhile (the first try then fails on the key, the second
/// finds it and replays its answer), and a broken connection is replaced by another.
async fn commit_alone(
    db: &Db,
    slot: &mut Option<PoolConnection<Any>>,
    report: &NewReport,
) -> ingest::Outcome {
    let mut last = None;
    for _ in 0..2 {
        let outcome = match connection(db, slot).await {
            Ok(conn) => {
                ingest::add_new(db.backend, conn, db.now_ms(), std::slice::from_ref(report)).await
            }
            Err(err) => Err(err),
        };
        match outcome {
            Ok(mut outcomes) => return outcomes.remove(0),
            Err(err) => {
                *slot = None;
                last = Some(err);
            }
        }
    }
    Err(last.expect("two tries"))
}

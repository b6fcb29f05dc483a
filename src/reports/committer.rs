//! Group commit for new reports: many concurrent reports go into one transaction, and each caller
//! is answered only after that transaction is committed. One durable commit (fsync) then
//! acknowledges a whole batch, which is how ingest keeps up on the global day without weakening
//! durability.

use tokio::sync::{mpsc, oneshot};

use super::store::{self, NewReport};
use crate::db::Db;
use crate::error::{Error, Result};
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

impl Committer {
    pub fn start(db: Db, tally: TallyHub) -> Committer {
        let (jobs, rx) = mpsc::channel(8192);
        tokio::spawn(run(db, tally, rx));
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

async fn run(db: Db, tally: TallyHub, mut rx: mpsc::Receiver<Job>) {
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let (reports, answers): (Vec<NewReport>, Vec<_>) =
            jobs.into_iter().map(|j| (j.report, j.answer)).unzip();
        let campaigns: std::collections::BTreeSet<i64> =
            reports.iter().map(|r| r.event.campaign_id).collect();
        match store::add_new(&db, &reports).await {
            Ok(stored) => {
                for (answer, response) in answers.into_iter().zip(stored) {
                    let _ = answer.send(Ok(response));
                }
            }
            Err(err) if reports.len() == 1 => {
                let _ = answers.into_iter().next().map(|a| a.send(Err(err)));
            }
            Err(err) => {
                // One bad report must not fail the others: commit them one by one.
                tracing::warn!(error = %err, batch = reports.len(), "batch failed; committing one by one");
                for (report, answer) in reports.iter().zip(answers) {
                    let result = store::add_new(&db, std::slice::from_ref(report))
                        .await
                        .map(|mut v| v.remove(0));
                    let _ = answer.send(result);
                }
            }
        }
        for campaign in campaigns {
            tally.changed(campaign).await;
        }
    }
}

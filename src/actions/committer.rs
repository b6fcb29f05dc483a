//! Group commit for online actions, the way reports are committed (`reports::committer`): new
//! actions and confirmations arriving together go into one transaction, and each caller is
//! answered only after it is committed. The confirmation mail is queued in that transaction, and
//! a confirmation moves the tally's counters (`reports::store::Deltas`, the one path of every
//! counter change) in it too. One durable commit acknowledges a whole burst.

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

use serde_json::json;

use tokio::sync::{Mutex, mpsc, oneshot};

use super::abuse::SiteRate;
use super::{ActionInput, PENDING_FOR_MS, REMAIL_EVERY_MS, mail, store};
use crate::config::Settings;
use crate::db::{Backend, Db, Tx};
use crate::error::{Error, Result};
use crate::reports::store::Deltas;
use crate::secret::{random_token, secret_hash};
use crate::tally::TallyHub;
use crate::webhooks::{self, EventType, Message};

/// Largest batch: bounds the time one transaction holds the write lock.
const MAX_BATCH: usize = 512;

/// A checked action on one or several cases of a campaign ("act on all cases" is one).
#[derive(Clone, Debug)]
pub struct NewAction {
    pub campaign_id: i64,
    pub campaign_title: String,
    /// (case id, case name in the signer's language).
    pub cases: Vec<(i64, String)>,
    pub input: ActionInput,
    /// A keyed hash of the sender's network (`staff::network_of`).
    pub ip_net: String,
}

/// What became of a confirmation link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confirmed {
    /// Counted now: this many actions.
    Counted(usize),
    /// Used before: everything it covered is counted already.
    AlreadyCounted,
    /// Older than 30 days: its actions were deleted.
    Expired,
    /// No such link (mistyped or forged).
    Unknown,
}

enum Work {
    Act(NewAction),
    Confirm(String),
}

enum Answer {
    Acted,
    Confirmed(Confirmed),
}

struct Job {
    work: Work,
    answer: oneshot::Sender<Result<Answer>>,
}

/// The handle handlers send actions and confirmations through. Cheap to clone.
#[derive(Clone)]
pub struct Committer {
    jobs: mpsc::Sender<Job>,
    /// Actions a second across this process (`abuse`).
    pub site_rate: Arc<SiteRate>,
    secret: Arc<tokio::sync::OnceCell<String>>,
}

impl Committer {
    pub fn start(db: Db, settings: Arc<Settings>, tally: TallyHub) -> Committer {
        let (jobs, rx) = mpsc::channel(8192);
        let rx = Arc::new(Mutex::new(rx));
        // As for reports: one committer on SQLite (one writer at a time anyway), two on
        // PostgreSQL so one sends its batch while the other waits for its commit.
        let committers = match db.backend {
            Backend::Sqlite => 1,
            Backend::Postgres => 2,
        };
        for _ in 0..committers {
            tokio::spawn(run(db.clone(), settings.clone(), tally.clone(), rx.clone()));
        }
        Committer {
            jobs,
            site_rate: Arc::default(),
            secret: Arc::default(),
        }
    }

    /// The server's secret for challenges and network hashes, read once.
    pub async fn secret(&self, db: &Db) -> Result<String> {
        Ok(self
            .secret
            .get_or_try_init(|| store::server_secret(db))
            .await?
            .clone())
    }

    async fn send(&self, work: Work) -> Result<Answer> {
        let (answer, receive) = oneshot::channel();
        self.jobs
            .send(Job { work, answer })
            .await
            .map_err(|_| Error::Internal(anyhow::anyhow!("the action committer has stopped")))?;
        receive.await.map_err(|_| {
            Error::Internal(anyhow::anyhow!("the action committer dropped an action"))
        })?
    }

    /// Stores the action (and queues its confirmation mail when one is due); returns once it is
    /// committed. The same for every email, whatever its state.
    pub async fn act(&self, action: NewAction) -> Result<()> {
        self.send(Work::Act(action)).await.map(|_| ())
    }

    /// Confirms with the token of a link.
    pub async fn confirm(&self, token: String) -> Result<Confirmed> {
        match self.send(Work::Confirm(token)).await? {
            Answer::Confirmed(c) => Ok(c),
            Answer::Acted => Err(Error::Internal(anyhow::anyhow!(
                "a confirmation answered as an action"
            ))),
        }
    }
}

async fn run(
    db: Db,
    settings: Arc<Settings>,
    tally: TallyHub,
    rx: Arc<Mutex<mpsc::Receiver<Job>>>,
) {
    loop {
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
        let (works, answers): (Vec<Work>, Vec<_>) =
            jobs.into_iter().map(|j| (j.work, j.answer)).unzip();
        let touched = match commit(&db, &settings, &works).await {
            Ok((outcomes, touched)) => {
                for (answer, outcome) in answers.into_iter().zip(outcomes) {
                    let _ = answer.send(Ok(outcome));
                }
                touched
            }
            Err(err) => {
                // The batch rolled back as a whole: commit each on its own, so one failure
                // (a case deleted meanwhile) does not fail the others.
                if works.len() > 1 {
                    tracing::warn!(error = %err, batch = works.len(), "action batch failed; committing one by one");
                }
                let mut touched = BTreeSet::new();
                for (work, answer) in works.into_iter().zip(answers) {
                    let one = std::slice::from_ref(&work);
                    let outcome = match commit(&db, &settings, one).await {
                        Ok((mut outcomes, t)) => {
                            touched.extend(t);
                            Ok(outcomes.remove(0))
                        }
                        Err(err) => Err(err),
                    };
                    let _ = answer.send(outcome);
                }
                touched
            }
        };
        for campaign in touched {
            tally.changed(campaign).await;
        }
    }
}

/// Commits a batch; returns each job's answer and the campaigns whose tally moved.
async fn commit(
    db: &Db,
    settings: &Settings,
    works: &[Work],
) -> Result<(Vec<Answer>, BTreeSet<i64>)> {
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    let acts: Vec<&NewAction> = works
        .iter()
        .filter_map(|w| match w {
            Work::Act(a) => Some(a),
            Work::Confirm(_) => None,
        })
        .collect();
    add_actions(db.backend, &mut tx, now, settings, &acts).await?;

    let mut deltas = Deltas::default();
    let mut touched = BTreeSet::new();
    let mut answers = Vec::with_capacity(works.len());
    let mut confirmed = Vec::new();
    for work in works {
        let answer = match work {
            Work::Act(_) => Answer::Acted,
            Work::Confirm(token) => {
                let hash = secret_hash(token);
                match store::use_link(&mut tx, now, &hash, now - PENDING_FOR_MS).await? {
                    Some((email, campaign_id, sent_at)) => {
                        // Actions made within the hour after the mail was sent got no mail of
                        // their own (`REMAIL_EVERY_MS`): this link covers them too.
                        let up_to = sent_at + REMAIL_EVERY_MS;
                        let counted =
                            store::confirm(&mut tx, now, &email, campaign_id, up_to).await?;
                        for (case_id, country) in &counted {
                            deltas.online(campaign_id, *case_id, country, 1);
                            // Ids and the signer's country only: no name, no address.
                            confirmed.push(Message::new(
                                EventType::ActionConfirmed,
                                json!({"campaign_id": campaign_id, "case_id": case_id,
                                    "country": country}),
                            ));
                        }
                        if !counted.is_empty() {
                            touched.insert(campaign_id);
                        }
                        Answer::Confirmed(Confirmed::Counted(counted.len()))
                    }
                    // Told apart after the commit, by reading the link.
                    None => Answer::Confirmed(Confirmed::Unknown),
                }
            }
        };
        answers.push(answer);
    }
    deltas.apply(db.backend, &mut tx).await?;
    webhooks::enqueue(&mut tx, now, &confirmed).await?;
    tx.commit().await?;
    // Links that did not confirm: used already, expired, or none such.
    for (work, answer) in works.iter().zip(answers.iter_mut()) {
        if let (Work::Confirm(token), Answer::Confirmed(c @ Confirmed::Unknown)) = (work, answer) {
            *c = match store::link(db, &secret_hash(token)).await? {
                Some((_, _, _, Some(_))) => Confirmed::AlreadyCounted,
                Some(_) => Confirmed::Expired,
                None => Confirmed::Unknown,
            };
        }
    }
    Ok((answers, touched))
}

/// Stores a batch's new actions and queues a confirmation for each (email, campaign) that has an
/// action waiting, at most one an hour (the outbox's dedupe key); a link is stored only with a
/// mail that was queued.
async fn add_actions(
    backend: Backend,
    tx: &mut Tx,
    now: i64,
    settings: &Settings,
    acts: &[&NewAction],
) -> Result<()> {
    if acts.is_empty() {
        return Ok(());
    }
    // In key order, and the mail in address order: on PostgreSQL the two committers then take
    // row locks (the actions' unique key, the outbox's dedupe key) in one order, and wait for
    // each other rather than deadlock.
    let mut acts = acts.to_vec();
    acts.sort_by(|a, b| (a.campaign_id, &a.input.email).cmp(&(b.campaign_id, &b.input.email)));
    let mut rows: Vec<store::NewRow> = acts
        .iter()
        .flat_map(|a| {
            let disposable = i64::from(a.input.disposable());
            a.cases.iter().map(move |(case_id, _)| store::NewRow {
                campaign_id: a.campaign_id,
                case_id: *case_id,
                email: &a.input.email,
                domain: a.input.domain(),
                name: &a.input.name,
                country: &a.input.country,
                message: &a.input.message,
                updates: i64::from(a.input.updates),
                language: a.input.language.code(),
                disposable,
                ip_net: &a.ip_net,
            })
        })
        .collect();
    rows.sort_by(|a, b| (a.case_id, a.email).cmp(&(b.case_id, b.email)));
    store::insert_actions(backend, tx, now, &rows).await?;
    let pairs: Vec<(&str, i64)> = acts
        .iter()
        .map(|a| (a.input.email.as_str(), a.campaign_id))
        .collect();
    let waiting = store::pending(backend, tx, &pairs).await?;
    let mut mailed = HashSet::new();
    for act in &acts {
        let pair = (act.input.email.clone(), act.campaign_id);
        if !waiting.contains(&pair) || !mailed.insert(pair) {
            continue;
        }
        let token = random_token();
        let letter = mail::confirmation(settings, act, &token, now);
        if crate::outbox::queue(tx, now, &settings.mail.from, letter).await? {
            store::insert_link(
                tx,
                now,
                &secret_hash(&token),
                &act.input.email,
                act.campaign_id,
            )
            .await?;
        }
    }
    Ok(())
}

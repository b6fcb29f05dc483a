//! Group commit for online actions, the way reports are committed (`reports::committer`): new
//! actions and confirmations arriving together go into one transaction, and each caller is
//! answered only after it is committed. The confirmation mail is queued in that transaction, and
//! a confirmation moves the tally's counters (`reports::store::Deltas`, the one path of every
//! counter change) in it too. One durable commit acknowledges a whole burst.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use tokio::sync::{Mutex, mpsc, oneshot};

use super::abuse::{self, Admission, SiteRate};
use super::{ActionInput, PENDING_FOR_MS, REMAIL_EVERY_MS, store};
use crate::campaigns::{Campaign, Case};
use crate::db::{Backend, Db, Tx};
use crate::error::{Error, Result};
use crate::outbox::{self, NewMessage};
use crate::reports::store::Deltas;
use crate::state::Metrics;
use crate::tally::TallyHub;
use crate::web::cache::{TtlCache, ttl_cache};
use crate::web::store::rate_limit_add;
use crate::webhooks::{self, EventType, Message};

/// Largest batch: bounds the time one transaction holds the write lock.
const MAX_BATCH: usize = 512;

/// A checked action on one or several cases of a campaign ("act on all cases" is one).
#[derive(Clone, Debug)]
pub struct NewAction {
    pub campaign_id: i64,
    pub cases: Vec<i64>,
    pub input: ActionInput,
    /// A keyed hash of the sender's network (`abuse::network_of`).
    pub ip_net: String,
    /// The rate limits and challenge it is judged by, in its batch.
    pub admission: Admission,
    /// Its confirmation mail and the hash of the link's token, composed by the handler; queued
    /// only when one is due.
    pub mail: Option<(NewMessage, String)>,
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
    Act(Box<NewAction>),
    Confirm(String),
}

enum Answer {
    Acted,
    /// Past a rate limit or without a needed challenge: try again after this many seconds.
    Limited(u64),
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
    /// The campaign and case each action names, by their slugs, kept a couple of seconds (as
    /// reports keep theirs, `reports::lookups`): a viral case is named by every action.
    pub cases: TtlCache<(String, String), Arc<(Campaign, Case)>>,
}

impl Committer {
    pub fn start(db: Db, tally: TallyHub, metrics: Arc<Metrics>) -> Committer {
        let (jobs, rx) = mpsc::channel(8192);
        let rx = Arc::new(Mutex::new(rx));
        // As for reports: one committer on SQLite (one writer at a time anyway), two on
        // PostgreSQL so one sends its batch while the other waits for its commit.
        let committers = match db.backend {
            Backend::Sqlite => 1,
            Backend::Postgres => 2,
        };
        let first = first_hits();
        for _ in 0..committers {
            tokio::spawn(run(
                db.clone(),
                tally.clone(),
                metrics.clone(),
                first.clone(),
                rx.clone(),
            ));
        }
        Committer {
            jobs,
            site_rate: Arc::default(),
            secret: Arc::default(),
            cases: ttl_cache(Duration::from_secs(2), 10_000),
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
        match self.send(Work::Act(Box::new(action))).await? {
            Answer::Limited(retry_after_secs) => Err(Error::RateLimited { retry_after_secs }),
            _ => Ok(()),
        }
    }

    /// Confirms with the token of a link.
    pub async fn confirm(&self, token: String) -> Result<Confirmed> {
        match self.send(Work::Confirm(token)).await? {
            Answer::Confirmed(c) => Ok(c),
            Answer::Acted | Answer::Limited(_) => Err(Error::Internal(anyhow::anyhow!(
                "a confirmation answered as an action"
            ))),
        }
    }
}

async fn run(
    db: Db,
    tally: TallyHub,
    metrics: Arc<Metrics>,
    first: FirstHits,
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
        let started = std::time::Instant::now();
        metrics.action_batch.observe(works.len() as f64);
        let committed = commit(&db, &first, &works).await;
        metrics
            .action_commit
            .observe(started.elapsed().as_secs_f64());
        let touched = match committed {
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
                    let outcome = match commit(&db, &first, one).await {
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
    first: &FirstHits,
    works: &[Work],
) -> Result<(Vec<Answer>, BTreeSet<i64>)> {
    let acts: Vec<(usize, &NewAction)> = works
        .iter()
        .enumerate()
        .filter_map(|(i, w)| match w {
            Work::Act(a) => Some((i, a.as_ref())),
            Work::Confirm(_) => None,
        })
        .collect();
    // Held until the end, past the commit and `first.seen`'s update.
    let senders = acts.iter().map(|(_, a)| {
        let sender = &a.admission.limits[0];
        (sender.bucket.clone(), sender.start)
    });
    let _judging = first.judge(senders.collect()).await;
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    let (refused, seen) = admit(db.backend, &mut tx, now, &acts, first).await?;
    let admitted: Vec<&NewAction> = acts
        .iter()
        .filter(|(i, _)| !refused.contains_key(i))
        .map(|(_, a)| *a)
        .collect();
    add_actions(db.backend, &mut tx, now, &admitted).await?;

    let mut deltas = Deltas::default();
    let mut touched = BTreeSet::new();
    let mut answers = Vec::with_capacity(works.len());
    let mut confirmed = confirm_links(db.backend, &mut tx, now, works).await?;
    let mut events = Vec::new();
    for (i, work) in works.iter().enumerate() {
        let answer = match work {
            Work::Act(_) => match refused.get(&i) {
                Some(secs) => Answer::Limited(*secs),
                None => Answer::Acted,
            },
            Work::Confirm(_) => match confirmed.remove(&i) {
                Some((campaign_id, counted)) => {
                    for (case_id, country) in &counted {
                        deltas.online(campaign_id, *case_id, country, 1);
                        // Ids and the signer's country only: no name, no address.
                        events.push(Message::new(
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
            },
        };
        answers.push(answer);
    }
    deltas.apply(db.backend, &mut tx).await?;
    webhooks::enqueue(&mut tx, now, &events).await?;
    tx.commit().await?;
    // Only what was committed: a batch rolled back wrote none of its hits.
    for (window, unwritten) in seen {
        first.seen.insert(window, unwritten);
    }
    // Links that did not confirm: used already, expired, or none such.
    for (work, answer) in works.iter().zip(answers.iter_mut()) {
        if let (Work::Confirm(token), Answer::Confirmed(c @ Confirmed::Unknown)) = (work, answer) {
            *c = match store::link(db, &super::link_key(token)).await? {
                Some((_, _, _, Some(_))) => Confirmed::AlreadyCounted,
                Some(_) => Confirmed::Expired,
                None => Confirmed::Unknown,
            };
        }
    }
    Ok((answers, touched))
}

/// Uses up the batch's links and confirms the actions each covers (those made within the hour
/// after its mail was sent got no mail of their own, `REMAIL_EVERY_MS`, so it covers them too),
/// in two statements for the whole batch. Returns, by place in the batch, the campaign and the
/// (case, signer's country) confirmed of each link that was unused; a link pressed twice in one
/// batch counts at its first place.
async fn confirm_links(
    backend: Backend,
    tx: &mut Tx,
    now: i64,
    works: &[Work],
) -> Result<HashMap<usize, (i64, Vec<(i64, String)>)>> {
    let mut place: HashMap<String, usize> = HashMap::new();
    for (i, work) in works.iter().enumerate() {
        if let Work::Confirm(token) = work {
            place.entry(super::link_key(token)).or_insert(i);
        }
    }
    let hashes: Vec<&str> = place.keys().map(String::as_str).collect();
    let mut used = store::use_links(backend, tx, now, &hashes, now - PENDING_FOR_MS).await?;
    // A signer mailed twice (hours apart) whose two links are pressed in one batch: the later
    // link confirms after the earlier, on its own, as it would have one by one.
    used.sort_by_key(|(_, _, _, sent_at)| *sent_at);
    let mut pairs = HashSet::new();
    let (first, later): (Vec<_>, Vec<_>) = used
        .into_iter()
        .partition(|(_, email, campaign_id, _)| pairs.insert((email.clone(), *campaign_id)));
    let mut out: HashMap<usize, (i64, Vec<(i64, String)>)> = HashMap::new();
    let mut by_pair: HashMap<(&str, i64), usize> = HashMap::new();
    for (hash, email, campaign_id, _) in &first {
        out.insert(place[hash], (*campaign_id, Vec::new()));
        by_pair.insert((email.as_str(), *campaign_id), place[hash]);
    }
    let covers: Vec<(&str, i64, i64)> = first
        .iter()
        .map(|(_, email, campaign_id, sent_at)| {
            (email.as_str(), *campaign_id, sent_at + REMAIL_EVERY_MS)
        })
        .collect();
    for (email, campaign_id, case_id, country) in
        store::confirm_many(backend, tx, now, &covers).await?
    {
        if let Some((_, counted)) = by_pair
            .get(&(email.as_str(), campaign_id))
            .and_then(|i| out.get_mut(i))
        {
            counted.push((case_id, country));
        }
    }
    for (hash, email, campaign_id, sent_at) in later {
        let counted =
            store::confirm(tx, now, &email, campaign_id, sent_at + REMAIL_EVERY_MS).await?;
        out.insert(place[&hash], (campaign_id, counted));
    }
    Ok(out)
}

/// Senders' windows in which this process has counted a hit (`admit`), and those a batch is
/// judging right now.
#[derive(Clone)]
pub struct FirstHits {
    /// `true` while the window's first hit is not yet written to the database. Kept as long as a
    /// sender's window lasts.
    seen: TtlCache<(String, i64), bool>,
    /// The windows of the senders in a batch between its judgement and its commit: on PostgreSQL
    /// two committers run at once, and a batch that judged a sender's first hit without writing
    /// it must be committed (and remembered in `seen`) before another batch judges that sender.
    judging: Claims,
}

fn first_hits() -> FirstHits {
    FirstHits {
        seen: ttl_cache(
            Duration::from_secs(abuse::PER_IP.window_secs as u64),
            1_000_000,
        ),
        judging: Arc::default(),
    }
}

/// The senders' windows claimed by a batch, each with a lock its owner holds until it is done.
type Claims = Arc<std::sync::Mutex<HashMap<(String, i64), Arc<Mutex<()>>>>>;

/// A batch's claim on its senders' windows (`FirstHits::judge`), given back when dropped:
/// committed or failed.
struct Judging {
    windows: Vec<(String, i64)>,
    judging: Claims,
    _held: Vec<tokio::sync::OwnedMutexGuard<()>>,
}

impl Drop for Judging {
    fn drop(&mut self) {
        let mut judging = self.judging.lock().expect("judging lock");
        for window in &self.windows {
            judging.remove(window);
        }
        // `_held` is dropped after this: the batches waiting for these windows go on.
    }
}

impl FirstHits {
    /// Claims the senders' windows of a batch, after any other batch judging one of them has
    /// committed or failed. All at once or none, so two batches never wait for each other.
    async fn judge(&self, windows: BTreeSet<(String, i64)>) -> Judging {
        loop {
            let busy = {
                let mut judging = self.judging.lock().expect("judging lock");
                match windows.iter().find_map(|w| judging.get(w).cloned()) {
                    Some(busy) => busy,
                    None => {
                        let mut held = Vec::with_capacity(windows.len());
                        for window in &windows {
                            let lock = Arc::new(Mutex::new(()));
                            held.push(lock.clone().try_lock_owned().expect("a new lock"));
                            judging.insert(window.clone(), lock);
                        }
                        return Judging {
                            windows: windows.into_iter().collect(),
                            judging: self.judging.clone(),
                            _held: held,
                        };
                    }
                }
            };
            drop(busy.lock().await);
        }
    }
}

/// Counts every action's hits on its windows (`abuse::Admission`) in one statement and judges
/// each in arrival order, the batch's actions taking a window's next hits in turn; returns the
/// refused ones (by their place in the batch) with the seconds they should wait, and the
/// senders' windows to remember once the batch is committed. A refused action's hits count, as
/// they would one by one.
///
/// Most people act once, so a burst brings a new sender with nearly every action, and a new
/// row of the rate-limit table for each, on a random page of its index: the most expensive
/// write of an action (BENCHMARKS.md, online actions). A sender's first hit in a window is
/// therefore only remembered by this process (`FirstHits`) and written with the sender's
/// second. The count stays exact on one node; over several, each may let a sender act once
/// more than the limit before it sees the others' counts.
async fn admit(
    backend: Backend,
    tx: &mut Tx,
    now: i64,
    acts: &[(usize, &NewAction)],
    first: &FirstHits,
) -> Result<(HashMap<usize, u64>, Vec<((String, i64), bool)>)> {
    // Sorted: on PostgreSQL two committers then lock the windows' rows in one order.
    let mut batch: BTreeMap<(&str, i64), i64> = BTreeMap::new();
    let mut senders = HashSet::new();
    for (_, act) in acts {
        for w in act.admission.windows() {
            *batch.entry((w.bucket.as_str(), w.start)).or_default() += 1;
        }
        let sender = &act.admission.limits[0];
        senders.insert((sender.bucket.as_str(), sender.start));
    }
    // Each window's hits before this batch, for those not written.
    let mut hits: HashMap<(&str, i64), i64> = HashMap::new();
    let mut writes: Vec<(String, i64, i64)> = Vec::with_capacity(batch.len());
    let mut written: Vec<(&str, i64)> = Vec::with_capacity(batch.len());
    let mut seen = Vec::new();
    for (&(bucket, start), &n) in &batch {
        let mut add = n;
        if senders.contains(&(bucket, start)) {
            let key = (bucket.to_string(), start);
            match first.seen.get(&key) {
                None if n == 1 => {
                    seen.push((key, true));
                    hits.insert((bucket, start), 0);
                    continue;
                }
                Some(true) => add += 1,
                _ => {}
            }
            seen.push((key, false));
        }
        writes.push((bucket.to_string(), start, add));
        written.push((bucket, start));
    }
    let totals = rate_limit_add(backend, tx, &writes).await?;
    for (key, total) in written.into_iter().zip(totals) {
        hits.insert(key, total - batch[&key]);
    }
    let mut refused = HashMap::new();
    for (i, act) in acts {
        let mine: Vec<i64> = act
            .admission
            .windows()
            .map(|w| {
                let n = hits.entry((w.bucket.as_str(), w.start)).or_default();
                *n += 1;
                *n
            })
            .collect();
        if let Err(secs) = act.admission.judge(&mine, now) {
            refused.insert(*i, secs);
        }
    }
    Ok((refused, seen))
}

/// Stores a batch's new actions and queues a confirmation for each (email, campaign) that has an
/// action waiting, at most one an hour (the outbox's dedupe key); a link is stored only with a
/// mail that was queued. Each kind of row is one statement, whatever the batch's size.
async fn add_actions(backend: Backend, tx: &mut Tx, now: i64, acts: &[&NewAction]) -> Result<()> {
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
            a.cases.iter().map(move |case_id| store::NewRow {
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
    let due: Vec<(&NewAction, &NewMessage, &str)> = acts
        .iter()
        .filter_map(|act| {
            let (message, token_hash) = act.mail.as_ref()?;
            let pair = (act.input.email.clone(), act.campaign_id);
            (waiting.contains(&pair) && mailed.insert(pair)).then_some((
                *act,
                message,
                token_hash.as_str(),
            ))
        })
        .collect();
    let messages: Vec<&NewMessage> = due.iter().map(|(_, m, _)| *m).collect();
    let queued = outbox::store::insert_many(backend, tx, now, &messages).await?;
    let links: Vec<(&str, &str, i64)> = due
        .iter()
        .filter(|(_, m, _)| queued.contains(&m.message_id))
        .map(|(act, _, token_hash)| (*token_hash, act.input.email.as_str(), act.campaign_id))
        .collect();
    store::insert_links(backend, tx, now, &links).await?;
    Ok(())
}

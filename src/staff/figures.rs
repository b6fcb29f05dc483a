//! The events' side of a campaign's dashboard, counted for every country at once and shared by
//! every staff member who looks: events published per country and region, registered per day,
//! those ended with no report, confirmed RSVPs, open flags, flagged reports and mail given up
//! on. A campaign of 100,000 events takes a few hundred milliseconds to count, so the counts are
//! kept for a few seconds; a view after that gets the kept ones at once and starts a recount in
//! the background (only the very first view of a campaign waits for it). The reports' numbers
//! do not come from here: they are the tally's counters, moved with every report.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::store;
use crate::db::Db;
use crate::state::AppState;

/// How long counted figures are shown before a view starts a recount.
pub const FRESH_FOR: Duration = Duration::from_secs(5);

/// One country's figures (or the world's, summed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tallies {
    /// Published events.
    pub published: i64,
    /// Published events that ended (when counted) with no report.
    pub unreported: i64,
    pub rsvps: i64,
    pub open_flags: i64,
    pub flagged_reports: i64,
    pub failed_mail: i64,
}

impl Tallies {
    fn add(&mut self, o: &Tallies) {
        self.published += o.published;
        self.unreported += o.unreported;
        self.rsvps += o.rsvps;
        self.open_flags += o.open_flags;
        self.flagged_reports += o.flagged_reports;
        self.failed_mail += o.failed_mail;
    }
}

/// A campaign's figures, per country.
#[derive(Debug, Default)]
pub struct Figures {
    by_country: HashMap<String, Tallies>,
    /// Published events per country and region (`None`: no region given).
    by_region: HashMap<String, Vec<(Option<String>, i64)>>,
    /// Events registered per country and day (days since 1970, UTC).
    registered: HashMap<String, BTreeMap<i64, i64>>,
}

impl Figures {
    /// The figures of one country, or of the world (`None`).
    pub fn tallies(&self, country: Option<&str>) -> Tallies {
        match country {
            Some(c) => self.by_country.get(c).copied().unwrap_or_default(),
            None => {
                let mut all = Tallies::default();
                // Mail of no country is under "": staff of every country see it.
                self.by_country.values().for_each(|t| all.add(t));
                all
            }
        }
    }

    /// Published events per region of `country`, or per country for the world.
    pub fn places(&self, country: Option<&str>) -> Vec<(Option<String>, i64)> {
        match country {
            Some(c) => self.by_region.get(c).cloned().unwrap_or_default(),
            None => self
                .by_country
                .iter()
                .filter(|(_, t)| t.published > 0)
                .map(|(c, t)| (Some(c.clone()), t.published))
                .collect(),
        }
    }

    /// Events registered per day, oldest first.
    pub fn registered(&self, country: Option<&str>) -> Vec<(i64, i64)> {
        match country {
            Some(c) => self
                .registered
                .get(c)
                .map(|days| days.iter().map(|(d, n)| (*d, *n)).collect())
                .unwrap_or_default(),
            None => {
                let mut all: BTreeMap<i64, i64> = BTreeMap::new();
                for days in self.registered.values() {
                    for (d, n) in days {
                        *all.entry(*d).or_default() += n;
                    }
                }
                all.into_iter().collect()
            }
        }
    }
}

/// What was counted, and when.
struct Kept {
    figures: Arc<Figures>,
    at: Instant,
    recounting: bool,
}

/// The figures of the campaigns staff looked at, in this process (a service of the state).
#[derive(Default)]
pub struct Dashboards {
    campaigns: Mutex<HashMap<i64, Kept>>,
}

impl AppState {
    /// This process's dashboard figures.
    pub fn dashboards(&self) -> &Arc<Dashboards> {
        self.service()
    }
}

impl Dashboards {
    /// The campaign's figures: the kept ones if any (recounted in the background once stale),
    /// counted now if none.
    pub async fn figures(
        self: &Arc<Self>,
        db: &Db,
        campaign_id: i64,
    ) -> Result<Arc<Figures>, sqlx::Error> {
        {
            let mut campaigns = self.campaigns.lock().expect("dashboards lock");
            if let Some(kept) = campaigns.get_mut(&campaign_id) {
                if kept.at.elapsed() >= FRESH_FOR && !kept.recounting {
                    kept.recounting = true;
                    let (me, db) = (self.clone(), db.clone());
                    tokio::spawn(async move {
                        let counted = count(&db, campaign_id).await.map(Arc::new);
                        me.keep(campaign_id, counted.ok());
                    });
                }
                return Ok(kept.figures.clone());
            }
        }
        let figures = Arc::new(count(db, campaign_id).await?);
        self.keep(campaign_id, Some(figures.clone()));
        Ok(figures)
    }

    /// Keeps a count (`None`: the recount failed; a later view tries again).
    fn keep(&self, campaign_id: i64, figures: Option<Arc<Figures>>) {
        let mut campaigns = self.campaigns.lock().expect("dashboards lock");
        match figures {
            Some(figures) => {
                let kept = Kept {
                    figures,
                    at: Instant::now(),
                    recounting: false,
                };
                campaigns.insert(campaign_id, kept);
            }
            None => {
                if let Some(kept) = campaigns.get_mut(&campaign_id) {
                    kept.recounting = false;
                }
            }
        }
    }
}

/// Counts a campaign's figures from its rows, now.
async fn count(db: &Db, campaign_id: i64) -> Result<Figures, sqlx::Error> {
    let mut figures = Figures::default();
    for (country, region, n) in store::published_by_region(db, campaign_id).await? {
        figures
            .by_country
            .entry(country.clone())
            .or_default()
            .published += n;
        figures
            .by_region
            .entry(country)
            .or_default()
            .push((region, n));
    }
    for (country, day, n) in store::registered_by_day(db, campaign_id).await? {
        *figures
            .registered
            .entry(country)
            .or_default()
            .entry(day)
            .or_default() += n;
    }
    for (what, country, n) in store::per_country(db, campaign_id, db.now_ms()).await? {
        let t = figures.by_country.entry(country).or_default();
        match what.as_str() {
            "unreported" => t.unreported += n,
            "rsvps" => t.rsvps += n,
            "open_flags" => t.open_flags += n,
            "flagged_reports" => t.flagged_reports += n,
            _ => t.failed_mail += n,
        }
    }
    Ok(figures)
}

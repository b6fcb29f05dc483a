//! What `POST /api/v1/events/{id}/reports` looks up on every report — the event, its campaign,
//! the campaign's cases — kept for a couple of seconds. A host sends many reports in a row and
//! thousands of hosts report at once on the global day; these rows rarely change.
//!
//! Staleness is bounded and harmless: the committer re-reads each event inside the report's
//! transaction (a cancellation refuses the report, an edited place moves the right counters),
//! and a case slug not found here is looked up again before it is refused.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use crate::campaigns::{Campaign, store as campaigns};
use crate::db::Db;
use crate::events::{Event, store as events};
use crate::i18n::Lang;
use crate::web::cache::{TtlCache, ttl_cache};

const TTL: Duration = Duration::from_secs(2);

/// A campaign's cases both ways.
pub struct Cases {
    pub ids: HashMap<String, i64>,
    pub slugs: Arc<HashMap<i64, String>>,
}

pub struct Lookups {
    events: TtlCache<i64, Arc<Event>>,
    campaigns: TtlCache<i64, Arc<Campaign>>,
    cases: TtlCache<i64, Arc<Cases>>,
}

impl crate::state::AppState {
    /// What new reports look up, kept briefly for this process.
    pub fn report_lookups(&self) -> &Lookups {
        self.service()
    }
}

impl Default for Lookups {
    fn default() -> Self {
        Lookups {
            events: ttl_cache(TTL, 100_000),
            campaigns: ttl_cache(TTL, 1_000),
            cases: ttl_cache(TTL, 1_000),
        }
    }
}

impl Lookups {
    pub async fn event(&self, db: &Db, id: i64) -> Result<Option<Arc<Event>>, sqlx::Error> {
        if let Some(e) = self.events.get(&id) {
            return Ok(Some(e));
        }
        let Some(event) = events::get(db, id).await? else {
            return Ok(None);
        };
        let event = Arc::new(event);
        self.events.insert(id, event.clone());
        Ok(Some(event))
    }

    /// The campaign with its English texts (reports only need its dates).
    pub async fn campaign(&self, db: &Db, id: i64) -> Result<Option<Arc<Campaign>>, sqlx::Error> {
        if let Some(c) = self.campaigns.get(&id) {
            return Ok(Some(c));
        }
        let Some(campaign) = campaigns::by_id(db, id, Lang::FALLBACK).await? else {
            return Ok(None);
        };
        let campaign = Arc::new(campaign);
        self.campaigns.insert(id, campaign.clone());
        Ok(Some(campaign))
    }

    /// The campaign's cases; `fresh` skips the cache (a slug was not found in it).
    pub async fn cases(
        &self,
        db: &Db,
        campaign_id: i64,
        fresh: bool,
    ) -> Result<Arc<Cases>, sqlx::Error> {
        if !fresh && let Some(c) = self.cases.get(&campaign_id) {
            return Ok(c);
        }
        let ids = campaigns::case_ids(db, campaign_id).await?;
        let slugs = Arc::new(ids.iter().map(|(s, id)| (*id, s.clone())).collect());
        let cases = Arc::new(Cases { ids, slugs });
        self.cases.insert(campaign_id, cases.clone());
        Ok(cases)
    }

    /// An event changed here: forget it at once.
    pub fn forget_event(&self, id: i64) {
        self.events.invalidate(&id);
    }
}

//! Who may do what with an event's reports, decided here once for the API and the pages: the
//! event's host and staff of its country may; anyone else is refused, with "forbidden" for a
//! public event (it exists for everyone) and "not found" for one that is not. Hosts add and
//! change reports from the event's start to the report deadline; staff at any time, and only
//! they void.

use std::sync::Arc;

use crate::accounts::Account;
use crate::campaigns::{Campaign, store as campaigns};
use crate::error::{Error, Result};
use crate::events::{Event, store as events};
use crate::i18n::Lang;
use crate::state::AppState;

use super::reporting_open;
use super::store::{self, Report};

/// Where the event and its campaign are read from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// The database, now.
    Now,
    /// The lookups new reports make, kept two seconds (`lookups.rs`): the committer re-reads
    /// the event in the report's transaction anyway.
    Kept,
}

/// What the caller may do with an event's reports.
pub struct Access {
    pub event: Arc<Event>,
    pub campaign: Arc<Campaign>,
    /// Staff of the event's country: they correct at any time, and void.
    pub staff: bool,
    /// Whether the caller may add or change reports now (the deadline rule for hosts).
    pub open: bool,
}

/// The event's reports as `caller` may reach them.
pub async fn event_access(
    state: &AppState,
    caller: &Account,
    event_id: i64,
    read: Read,
) -> Result<Access> {
    let lookups = state.report_lookups();
    let event = match read {
        Read::Now => events::get(&state.db, event_id).await?.map(Arc::new),
        Read::Kept => lookups.event(&state.db, event_id).await?,
    }
    .ok_or(Error::NotFound)?;
    if !event.can_manage(caller) {
        return Err(if event.is_public_listing() {
            Error::Forbidden
        } else {
            Error::NotFound
        });
    }
    let campaign = match read {
        Read::Now => campaigns::by_id(&state.db, event.campaign_id, Lang::FALLBACK)
            .await?
            .map(Arc::new),
        Read::Kept => lookups.campaign(&state.db, event.campaign_id).await?,
    }
    .ok_or(Error::NotFound)?;
    let staff = caller.is_staff_for(&event.country);
    let open = staff || reporting_open(&event, &campaign, state.db.clock.now());
    Ok(Access {
        event,
        campaign,
        staff,
        open,
    })
}

/// A report and what `caller` may do with it: as with its event's reports, except that someone
/// else's report is not found even on a public event.
pub async fn report_access(
    state: &AppState,
    caller: &Account,
    report_id: i64,
) -> Result<(Report, Access)> {
    let report = store::get(&state.db, report_id)
        .await?
        .ok_or(Error::NotFound)?;
    let access = event_access(state, caller, report.event_id, Read::Now)
        .await
        .map_err(|e| match e {
            Error::Forbidden => Error::NotFound,
            other => other,
        })?;
    Ok((report, access))
}

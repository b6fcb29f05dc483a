//! The demo and the benchmark fixture: `writeathon seed-demo`, `serve --demo` and `seed-bench`.
//!
//! Two demo campaigns: a finished "Write for Rights 2017 (demo)" and a current one whose global
//! day is the next 10 December, with windows open today; their cases (`campaigns`), about 320
//! events with hosts and RSVPs (`events`, `hosts`, `rsvps`), reports (`reports`) and confirmed
//! online actions (`actions`). Everything
//! is fictional and drawn from seeded RNGs, so a seed always gives the same rows. The tables of
//! names, towns, venues and texts are data files in `data/`, parsed once at first use (`data`).
//!
//! The demo sits beside the command line, above the features: it writes only through their own
//! store functions and checks (`EventDraft::check`, `RsvpFields::check`, `ingest::add_new`…), so
//! it never writes a row the app could not. No feature imports it.

mod actions;
pub mod bench;
mod campaigns;
mod data;
pub mod events;
mod hosts;
pub mod photos;
pub mod reports;
mod rsvps;
mod text;

use chrono::{Datelike, NaiveDate};

use crate::db::Db;

pub use events::DEMO_HOSTS;

/// Which set of demo content a campaign gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edition {
    /// The finished "w4r-2017": about 300 events the world over, most of them reported.
    Past,
    /// The current campaign: about 20 events in a few countries around its global day.
    Current,
}

/// The finished demo campaign.
pub const PAST_SLUG: &str = "w4r-2017";

/// The current demo campaign's dates, relative to `today`: the next 10 December (today included),
/// an event window that is open today, and a report deadline two months after the global day.
pub fn current_dates(today: NaiveDate) -> (NaiveDate, NaiveDate, NaiveDate, NaiveDate) {
    let this_year = NaiveDate::from_ymd_opt(today.year(), 12, 10).expect("valid date");
    let global_day = if this_year >= today {
        this_year
    } else {
        NaiveDate::from_ymd_opt(today.year() + 1, 12, 10).expect("valid date")
    };
    let starts_on =
        (global_day - chrono::Duration::days(60)).min(today - chrono::Duration::days(7));
    let ends_on = global_day + chrono::Duration::days(21);
    let report_deadline = global_day + chrono::Duration::days(60);
    (global_day, starts_on, ends_on, report_deadline)
}

/// The current demo campaign's slug on `today`'s clock ("w4r-2026").
pub fn current_slug(today: NaiveDate) -> String {
    let (global_day, ..) = current_dates(today);
    format!("w4r-{}", global_day.year())
}

/// Adds each demo campaign whose slug is not there yet, with its cases, events, RSVPs and
/// reports; returns how many campaigns were added.
pub async fn seed(db: &Db) -> anyhow::Result<usize> {
    let added = campaigns::seed(db).await?;
    // Reports last, once the events are committed: demo reports go through the report store.
    reports::seed(db).await?;
    // Confirmed online actions beside the letters, through the actions' store.
    actions::seed(db).await?;
    // The finished campaign's RSVPs are as a running server keeps them by now: names erased.
    crate::privacy::retention::erase_old_rsvps(db, crate::config::DEFAULT_RSVP_RETENTION_DAYS)
        .await?;
    Ok(added)
}

/// A feature's error as a message for the command line.
fn describe(e: crate::error::Error) -> anyhow::Error {
    anyhow::anyhow!("{}", e.describe_in_english())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_campaign_is_open_today() {
        for today in [
            "2026-11-26",
            "2026-12-10",
            "2026-12-11",
            "2027-01-01",
            "2027-06-30",
        ] {
            let today: NaiveDate = today.parse().unwrap();
            let (g, s, e, r) = current_dates(today);
            assert_eq!((g.month(), g.day()), (12, 10));
            assert!(g >= today && (g - today).num_days() < 366, "{today}: {g}");
            assert!(
                s <= today && today <= e && today <= r,
                "{today}: {s}..{e}, {r}"
            );
            assert!(s <= g && g <= e && e <= r);
        }
    }
}

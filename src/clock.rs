//! The one clock. Everything that asks "what time is it?" — stamping a row, deciding whether
//! reporting is open, which campaign is current, whether a session has expired — asks the
//! [`Clock`] carried by [`crate::db::Db`], so a whole process (server, workers, demo seeding)
//! agrees on the time, and tests and rehearsals can run it as if it were another day.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};

/// A clock: the system's, or one that started at a chosen moment and ticks on from there. Cheap to
/// clone; clones share their time (advancing one advances all).
#[derive(Clone, Debug)]
pub struct Clock(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    /// `None`: the system clock. `Some`: the chosen start and the instant it was chosen at.
    start: Option<(i64, Instant)>,
    /// Milliseconds added by [`Clock::advance`].
    skipped_ms: AtomicI64,
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl Clock {
    /// The system clock: what production runs on.
    pub fn system() -> Clock {
        Clock(Arc::new(Inner {
            start: None,
            skipped_ms: AtomicI64::new(0),
        }))
    }

    /// A clock that reads `start` now and moves on at the normal pace (so ordering, expiry and
    /// backoff behave as they would), for tests and for running the site as if on another day.
    pub fn starting_at(start: DateTime<Utc>) -> Clock {
        Clock(Arc::new(Inner {
            start: Some((start.timestamp_millis(), Instant::now())),
            skipped_ms: AtomicI64::new(0),
        }))
    }

    /// Milliseconds since the Unix epoch: how every timestamp is stored.
    pub fn now_ms(&self) -> i64 {
        let base = match self.0.start {
            None => Utc::now().timestamp_millis(),
            Some((start, at)) => start + at.elapsed().as_millis() as i64,
        };
        base + self.0.skipped_ms.load(Ordering::Relaxed)
    }

    pub fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.now_ms())
            .expect("the clock reads a representable time")
    }

    /// Today's date in UTC.
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// Moves this clock (and every clone of it) forward, e.g. past a session's idle timeout.
    pub fn advance(&self, by: chrono::Duration) {
        self.0
            .skipped_ms
            .fetch_add(by.num_milliseconds(), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chosen_start_reads_that_moment_and_ticks_on() {
        let start = DateTime::parse_from_rfc3339("2026-11-20T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let clock = Clock::starting_at(start);
        let first = clock.now_ms();
        assert!((first - start.timestamp_millis()).abs() < 1_000);
        assert_eq!(clock.today().to_string(), "2026-11-20");
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert!(clock.now_ms() > first, "the clock moves on");
        let shared = clock.clone();
        shared.advance(chrono::Duration::days(30));
        assert_eq!(
            clock.today().to_string(),
            "2026-12-20",
            "clones share the time"
        );
    }

    #[test]
    fn the_system_clock_reads_the_system_time() {
        let before = Utc::now().timestamp_millis();
        let read = Clock::system().now_ms();
        assert!(read >= before && read - before < 1_000);
    }
}

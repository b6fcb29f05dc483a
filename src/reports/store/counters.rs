//! The tally's counters and the events' totals, moved by each report change in the transaction
//! that writes its rows: the one path by which new reports (a batch of many), edits, staff
//! corrections and voids reach them ([`move_counts`]).
//!
//! Counters are only ever changed by `counter + delta` in SQL (never read-modify-write in the
//! application), so concurrent writers on PostgreSQL cannot lose an update, and a batch of many
//! reports adds up its deltas per counter before writing them.

use std::collections::{BTreeMap, HashMap};

use sqlx::AnyConnection;

use crate::db::{Backend, json_rows_param};
use crate::events::store::EventTotals;
use crate::events::{Event, EventStatus};
use crate::reports::ReportInput;
use crate::tally::build::city_key;

/// How one change moves one counter.
#[derive(Clone, Copy, Debug, Default, PartialEq, sqlx::FromRow)]
pub struct Delta {
    pub letters: i64,
    pub solidarity: i64,
    pub participants: i64,
    pub events_reported: i64,
    /// Confirmed online actions (`actions`): world, the signer's country and the case.
    pub online: i64,
    /// Current reports (the staff dashboard's count): per place and per day, not per case.
    pub reports: i64,
}

impl Delta {
    fn add(&mut self, o: Delta) {
        self.letters += o.letters;
        self.solidarity += o.solidarity;
        self.participants += o.participants;
        self.events_reported += o.events_reported;
        self.online += o.online;
        self.reports += o.reports;
    }

    fn is_zero(&self) -> bool {
        *self == Delta::default()
    }
}

/// Counter keys: (campaign, dimension, key).
pub type CounterKey = (i64, &'static str, String);

/// Where an event's reports count in the tally: its campaign, kind and place. The committer
/// reads just these columns of a batch's events (not the whole event, with its description).
#[derive(Clone, Debug)]
pub struct Place {
    pub event_id: i64,
    pub campaign_id: i64,
    pub status: EventStatus,
    pub kind: String,
    pub country: String,
    pub region: Option<String>,
    pub city: String,
}

impl Place {
    /// The columns [`Place::decode_all`] reads, of `events e`, aggregated with
    /// `Backend::json_agg` (one row out, however many events).
    pub const COLUMNS: &'static str =
        "e.id, e.campaign_id, e.status, e.kind, e.country, e.region, e.city";

    pub fn of(event: &Event) -> Place {
        Place {
            event_id: event.id,
            campaign_id: event.campaign_id,
            status: event.status,
            kind: event.kind.as_str().to_string(),
            country: event.country.clone(),
            region: event.region.clone(),
            city: event.city.clone(),
        }
    }

    /// Places from `json_agg(Place::COLUMNS)`, by event id.
    pub fn decode_all(json: &str) -> Result<HashMap<i64, Place>, sqlx::Error> {
        type Columns = (i64, i64, String, String, String, Option<String>, String);
        let rows: Vec<Columns> =
            serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(e.into()))?;
        Ok(rows
            .into_iter()
            .map(
                |(event_id, campaign_id, status, kind, country, region, city)| {
                    let place = Place {
                        event_id,
                        campaign_id,
                        status: EventStatus::parse(&status),
                        kind,
                        country,
                        region,
                        city,
                    };
                    (event_id, place)
                },
            )
            .collect())
    }

    /// The place and kind dimensions it counts in (cases are added per item).
    fn dimensions(&self) -> Vec<(&'static str, String)> {
        let mut dims = vec![
            ("world", String::new()),
            ("country", self.country.clone()),
            (
                "city",
                city_key(&self.country, self.region.as_deref(), &self.city),
            ),
            ("kind", self.kind.clone()),
        ];
        if let Some(region) = &self.region {
            dims.push(("region", region.clone()));
        }
        dims
    }
}

/// Accumulates counter deltas for a set of report changes.
#[derive(Default)]
pub struct Deltas(pub BTreeMap<CounterKey, Delta>);

/// One day in milliseconds: reports are counted per day (UTC) they came in.
pub const DAY_MS: i64 = 24 * 3600 * 1000;

/// The keys of the per-day counters of a report that came in at `created_at`: the world's
/// (`day`) and its country's (`country-day`), for the staff dashboard's "letters by day".
pub fn day_keys(country: &str, created_at: i64) -> [(&'static str, String); 2] {
    let day = created_at.div_euclid(DAY_MS);
    [
        ("day", day.to_string()),
        ("country-day", format!("{country}|{day}")),
    ]
}

impl Deltas {
    /// A report's counts entering (`sign` 1) or leaving (`sign` -1) the tally; `created_at`
    /// (when the report first came in) dates it in the per-day counters.
    pub fn report(&mut self, place: &Place, input: &ReportInput, sign: i64, created_at: i64) {
        let total = Delta {
            letters: sign * input.letters(),
            solidarity: sign * input.solidarity(),
            participants: sign * input.participants,
            events_reported: 0,
            online: 0,
            reports: sign,
        };
        for (dim, key) in place.dimensions() {
            self.0
                .entry((place.campaign_id, dim, key))
                .or_default()
                .add(total);
        }
        self.on_day(place.campaign_id, &place.country, created_at, total);
        for (case_id, letters, solidarity) in &input.items {
            let d = Delta {
                letters: sign * letters,
                solidarity: sign * solidarity,
                ..Default::default()
            };
            self.0
                .entry((place.campaign_id, "case", case_id.to_string()))
                .or_default()
                .add(d);
        }
    }

    /// A report's counts (`d`) on the day it came in, for the world and its country.
    pub fn on_day(&mut self, campaign_id: i64, country: &str, created_at: i64, d: Delta) {
        for (dim, key) in day_keys(country, created_at) {
            self.0.entry((campaign_id, dim, key)).or_default().add(d);
        }
    }

    /// The event gained its first report (1) or lost its last (-1).
    pub fn event_reported(&mut self, place: &Place, change: i64) {
        for (dim, key) in place.dimensions() {
            self.0
                .entry((place.campaign_id, dim, key))
                .or_default()
                .add(Delta {
                    events_reported: change,
                    ..Default::default()
                });
        }
    }

    /// `n` confirmed online actions for a case by signers of `country` entering (n > 0) or
    /// leaving (n < 0, staff invalidated them) the tally: the world, the country and the case.
    pub fn online(&mut self, campaign_id: i64, case_id: i64, country: &str, n: i64) {
        let d = Delta {
            online: n,
            ..Default::default()
        };
        for (dim, key) in [
            ("world", String::new()),
            ("country", country.to_string()),
            ("case", case_id.to_string()),
        ] {
            self.0.entry((campaign_id, dim, key)).or_default().add(d);
        }
    }

    /// Writes the deltas: one upsert for every key, `counter + delta`.
    pub async fn apply(
        &self,
        backend: Backend,
        conn: &mut AnyConnection,
    ) -> Result<(), sqlx::Error> {
        // In key order (the map's), so concurrent writers on PostgreSQL lock rows in one order.
        let rows: Vec<_> = self
            .0
            .iter()
            .filter(|(_, d)| !d.is_zero())
            .map(|((campaign_id, dimension, key), d)| {
                let d = (
                    d.letters,
                    d.solidarity,
                    d.participants,
                    d.events_reported,
                    d.online,
                    d.reports,
                );
                (campaign_id, dimension, key, d.0, d.1, d.2, d.3, d.4, d.5)
            })
            .collect();
        if rows.is_empty() {
            return Ok(());
        }
        // `WHERE true`: SQLite needs it to tell an upsert's ON CONFLICT from a join's ON.
        let sql = format!(
            "INSERT INTO tally_counters AS t (campaign_id, dimension, dim_key, letters, solidarity, participants, events_reported, online, reports) \
             SELECT CAST(value ->> 0 AS BIGINT), value ->> 1, value ->> 2, CAST(value ->> 3 AS BIGINT), \
             CAST(value ->> 4 AS BIGINT), CAST(value ->> 5 AS BIGINT), CAST(value ->> 6 AS BIGINT), \
             CAST(value ->> 7 AS BIGINT), CAST(value ->> 8 AS BIGINT) FROM {} WHERE true \
             ON CONFLICT (campaign_id, dimension, dim_key) DO UPDATE SET \
             letters = t.letters + excluded.letters, solidarity = t.solidarity + excluded.solidarity, \
             participants = t.participants + excluded.participants, events_reported = t.events_reported + excluded.events_reported, \
             online = t.online + excluded.online, reports = t.reports + excluded.reports",
            backend.json_rows(1)
        );
        sqlx::query(&sql)
            .bind(json_rows_param(&rows))
            .execute(conn)
            .await?;
        Ok(())
    }
}

/// One report's counts changing at `place`: entering the tally (no `before`), leaving it (no
/// `after`: a void), or replaced (an edit or a correction).
pub struct CountChange<'a> {
    pub place: &'a Place,
    /// When the report first came in: the day its counts belong to.
    pub created_at: i64,
    pub before: Option<&'a ReportInput>,
    pub after: Option<&'a ReportInput>,
}

/// Moves the events' totals and the tally's counters by `changes`, on the connection whose
/// transaction writes the reports' rows, so they commit (or roll back) together. Returns the
/// totals after it of every event touched.
///
/// Event totals before counters, each in key order: on PostgreSQL, transactions that lock rows
/// in one order wait for each other instead of deadlocking.
pub async fn move_counts(
    backend: Backend,
    conn: &mut AnyConnection,
    changes: &[CountChange<'_>],
) -> Result<HashMap<i64, EventTotals>, sqlx::Error> {
    let mut deltas = Deltas::default();
    let mut per_event: BTreeMap<i64, (EventTotals, &Place)> = BTreeMap::new();
    for change in changes {
        let (t, _) = per_event
            .entry(change.place.event_id)
            .or_insert((EventTotals::default(), change.place));
        for (input, sign) in [(change.before, -1), (change.after, 1)] {
            let Some(input) = input else { continue };
            deltas.report(change.place, input, sign, change.created_at);
            t.reports += sign;
            t.letters += sign * input.letters();
            t.solidarity += sign * input.solidarity();
            t.participants += sign * input.participants;
        }
    }
    let totals: BTreeMap<i64, EventTotals> =
        per_event.iter().map(|(id, (t, _))| (*id, *t)).collect();
    let after = move_event_totals(backend, conn, &totals).await?;
    for (event_id, (d, place)) in &per_event {
        let now = after.get(event_id).map_or(0, |a| a.reports);
        if d.reports > 0 && now == d.reports {
            // Its first reports: the event now counts as reported.
            deltas.event_reported(place, 1);
        } else if d.reports < 0 && now == 0 {
            // Its last report went: it no longer does.
            deltas.event_reported(place, -1);
        }
    }
    deltas.apply(backend, conn).await?;
    Ok(after)
}

/// Adds to many events' totals in one statement; returns each event's totals after.
async fn move_event_totals(
    backend: Backend,
    conn: &mut AnyConnection,
    deltas: &BTreeMap<i64, EventTotals>,
) -> Result<HashMap<i64, EventTotals>, sqlx::Error> {
    let mut out = HashMap::with_capacity(deltas.len());
    if deltas.is_empty() {
        return Ok(out);
    }
    // In event order (the map's): concurrent batches on PostgreSQL lock rows in one order.
    let rows: Vec<_> = deltas
        .iter()
        .map(|(id, d)| (id, d.reports, d.letters, d.solidarity, d.participants))
        .collect();
    let sql = format!(
        "INSERT INTO event_totals AS t (event_id, reports, letters, solidarity, participants) \
         SELECT CAST(value ->> 0 AS BIGINT), CAST(value ->> 1 AS BIGINT), CAST(value ->> 2 AS BIGINT), \
         CAST(value ->> 3 AS BIGINT), CAST(value ->> 4 AS BIGINT) FROM {} WHERE true \
         ON CONFLICT (event_id) DO UPDATE SET reports = t.reports + excluded.reports, letters = t.letters + excluded.letters, \
         solidarity = t.solidarity + excluded.solidarity, participants = t.participants + excluded.participants",
        backend.json_rows(1)
    );
    let rows = json_rows_param(&rows);
    sqlx::query(&sql).bind(&rows).execute(&mut *conn).await?;
    // Read back as one row, not one per event (`Backend::json_agg`).
    let sql = format!(
        "SELECT {} FROM event_totals WHERE event_id IN (SELECT CAST(value ->> 0 AS BIGINT) FROM {})",
        backend.json_agg("event_id, reports, letters, solidarity, participants"),
        backend.json_rows(1)
    );
    let json: String = sqlx::query_scalar(&sql).bind(&rows).fetch_one(conn).await?;
    let after: Vec<(i64, i64, i64, i64, i64)> =
        serde_json::from_str(&json).map_err(|e| sqlx::Error::Decode(e.into()))?;
    for (event_id, reports, letters, solidarity, participants) in after {
        let totals = EventTotals {
            reports,
            letters,
            solidarity,
            participants,
        };
        out.insert(event_id, totals);
    }
    Ok(out)
}

//! The finder's query (see `events::finder`): a bounding box on `(campaign, status, visibility,
//! latitude, longitude)`, ordered in SQL by an equirectangular distance (plain arithmetic, the
//! same on both backends), paged with a cursor. Benchmarks measure this query: change its SQL with
//! BENCHMARKS.md at hand.

use sqlx::FromRow;

use super::COLUMNS;
use crate::db::Db;
use crate::events::Event;
use crate::events::finder::{Cursor, Search, Sort};

/// One value to bind, in order.
enum Bind {
    I(i64),
    F(f64),
    S(String),
}

/// A row of the search: the event, and its squared distance `d2` when the search has a centre.
#[derive(FromRow)]
pub struct Hit {
    #[sqlx(flatten)]
    pub event: Event,
    #[sqlx(default)]
    pub d2: Option<f64>,
}

/// The finder's indexed query over a campaign's public, published events: at most `s.limit + 1`
/// rows, in the search's order, each with its squared equirectangular distance when there is a
/// centre.
pub async fn search(db: &Db, campaign_id: i64, s: &Search) -> Result<Vec<Hit>, sqlx::Error> {
    let mut binds = vec![Bind::I(campaign_id)];
    let next_param = |binds: &mut Vec<Bind>, b: Bind| {
        binds.push(b);
        format!("${}", binds.len())
    };
    let mut conditions = vec![
        "e.campaign_id = $1".to_string(),
        "e.status = 'published'".into(),
        "e.visibility = 'public'".into(),
    ];
    let mut distance_sql = None;
    if let Some((lat, lon)) = s.center {
        // A box around the circle, then an equirectangular squared distance for ordering.
        let dlat = s.radius_km / 111.32;
        let k = lat.to_radians().cos().max(0.01);
        let dlon = (s.radius_km / (111.32 * k)).min(180.0);
        let p_lat = next_param(&mut binds, Bind::F(lat));
        let p_lon = next_param(&mut binds, Bind::F(lon));
        let p_k = next_param(&mut binds, Bind::F(k));
        let lat_lo = next_param(&mut binds, Bind::F(lat - dlat));
        let lat_hi = next_param(&mut binds, Bind::F(lat + dlat));
        conditions.push(format!("e.public_latitude BETWEEN {lat_lo} AND {lat_hi}"));
        if lon - dlon >= -180.0 && lon + dlon <= 180.0 {
            let lon_lo = next_param(&mut binds, Bind::F(lon - dlon));
            let lon_hi = next_param(&mut binds, Bind::F(lon + dlon));
            conditions.push(format!("e.public_longitude BETWEEN {lon_lo} AND {lon_hi}"));
        } else {
            conditions.push("e.public_longitude IS NOT NULL".into());
        }
        distance_sql = Some(format!(
            "((e.public_latitude - {p_lat}) * (e.public_latitude - {p_lat}) + \
             ((e.public_longitude - {p_lon}) * {p_k}) * ((e.public_longitude - {p_lon}) * {p_k}))"
        ));
    }
    if let Some(kind) = &s.kind {
        let p = next_param(&mut binds, Bind::S(kind.as_str().to_string()));
        conditions.push(format!("e.kind = {p}"));
    }
    if let Some(country) = &s.country {
        let p = next_param(&mut binds, Bind::S(country.clone()));
        conditions.push(format!("e.country = {p}"));
    }
    if let Some(region) = &s.region {
        let p = next_param(&mut binds, Bind::S(region.clone()));
        conditions.push(format!("e.region = {p}"));
    }
    if let Some(from) = s.from {
        let ms = from
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc()
            .timestamp_millis();
        // Time zones reach 14 hours from UTC: keep events whose local day may match.
        let p = next_param(&mut binds, Bind::I(ms - 14 * 3_600_000));
        conditions.push(format!("e.starts_at >= {p}"));
    }
    if let Some(to) = s.to {
        let ms = (to + chrono::Duration::days(1))
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc()
            .timestamp_millis();
        let p = next_param(&mut binds, Bind::I(ms + 14 * 3_600_000));
        conditions.push(format!("e.starts_at < {p}"));
    }
    if s.step_free {
        conditions.push("e.step_free = 1".into());
    }
    if let Some(language) = &s.language {
        let p = next_param(&mut binds, Bind::S(language.clone()));
        conditions.push(format!("e.language = {p}"));
    }
    if let Some(q) = &s.q {
        let escaped = q
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let p = next_param(&mut binds, Bind::S(format!("%{escaped}%")));
        conditions.push(format!("e.search_text LIKE {p} ESCAPE '\\'"));
    }
    let (select_extra, order) = match (&distance_sql, s.sort) {
        (Some(d), Sort::Distance) => {
            if let Some(Cursor::Distance { d2, id }) = &s.cursor {
                let pd = next_param(&mut binds, Bind::F(*d2));
                let pi = next_param(&mut binds, Bind::I(*id));
                conditions.push(format!("({d} > {pd} OR ({d} = {pd} AND e.id > {pi}))"));
            }
            (format!(", {d} AS d2"), "d2, e.id".to_string())
        }
        (d, _) => {
            if let Some(Cursor::Date { starts_at, id }) = &s.cursor {
                let pt = next_param(&mut binds, Bind::I(*starts_at));
                let pi = next_param(&mut binds, Bind::I(*id));
                conditions.push(format!(
                    "(e.starts_at > {pt} OR (e.starts_at = {pt} AND e.id > {pi}))"
                ));
            }
            let extra = d
                .as_ref()
                .map(|d| format!(", {d} AS d2"))
                .unwrap_or_default();
            (extra, "e.starts_at, e.id".to_string())
        }
    };
    let sql = format!(
        "SELECT {}{select_extra} FROM events e WHERE {} ORDER BY {order} LIMIT {}",
        COLUMNS,
        conditions.join(" AND "),
        s.limit + 1
    );
    let mut query = sqlx::query_as(&sql);
    for b in binds {
        query = match b {
            Bind::I(v) => query.bind(v),
            Bind::F(v) => query.bind(v),
            Bind::S(v) => query.bind(v),
        };
    }
    query.fetch_all(&db.pool).await
}

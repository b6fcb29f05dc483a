//! The SQL of schools: the name a school or university event gives, and the public list.

use crate::db::Db;

/// A school as its event's hosts set it.
#[derive(Clone, Debug, Default, sqlx::FromRow)]
pub struct School {
    pub name: String,
    pub listed: bool,
}

/// One listed event's school with its numbers, for the public list.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ListedSchool {
    pub name: String,
    pub country: String,
    pub region: Option<String>,
    pub letters: i64,
    pub solidarity: i64,
    pub participants: i64,
}

pub async fn of_event(db: &Db, event_id: i64) -> Result<Option<School>, sqlx::Error> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT name, listed FROM event_schools WHERE event_id = $1")
            .bind(event_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|(name, listed)| School {
        name,
        listed: listed != 0,
    }))
}

/// The schools of these events (the host's dashboard), by event id.
pub async fn of_events(
    db: &Db,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, String>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    // Ids are integers we produced, so listing them inline is safe and keeps one statement.
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT event_id, name FROM event_schools WHERE event_id IN ({list})"
    ))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().collect())
}

/// Names the school of an event, or forgets it (an empty name).
pub async fn save(db: &Db, now: i64, event_id: i64, school: &School) -> Result<(), sqlx::Error> {
    if school.name.is_empty() {
        sqlx::query("DELETE FROM event_schools WHERE event_id = $1")
            .bind(event_id)
            .execute(&db.pool)
            .await?;
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO event_schools (event_id, name, listed, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (event_id) DO UPDATE SET name = excluded.name, listed = excluded.listed, \
           updated_at = excluded.updated_at",
    )
    .bind(event_id)
    .bind(&school.name)
    .bind(i64::from(school.listed))
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// A campaign's listed schools: only public, published school and university events, never in a
/// country under safety mode; optionally of one country.
pub async fn listed(
    db: &Db,
    campaign_id: i64,
    country: Option<&str>,
) -> Result<Vec<ListedSchool>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.name, e.country, e.region, COALESCE(t.letters, 0) AS letters, \
           COALESCE(t.solidarity, 0) AS solidarity, COALESCE(t.participants, 0) AS participants \
         FROM event_schools s JOIN events e ON e.id = s.event_id \
         LEFT JOIN event_totals t ON t.event_id = e.id \
         WHERE e.campaign_id = $1 AND s.listed = 1 AND e.visibility = 'public' \
           AND e.status = 'published' AND e.kind IN ('school', 'university') \
           AND ($2 = '' OR e.country = $2) \
           AND e.country NOT IN (SELECT country FROM country_settings WHERE safety_mode = 1) \
         ORDER BY e.country, e.region, s.name",
    )
    .bind(campaign_id)
    .bind(country.unwrap_or(""))
    .fetch_all(&db.pool)
    .await
}

//! The recap's SQL: its settings, its introductions per language, publishing.

use sqlx::FromRow;

use crate::db::{Db, Tx};
use crate::i18n::Lang;

/// What staff chose for a campaign's recap.
#[derive(Clone, Debug, Default, FromRow)]
pub struct RecapRow {
    pub map_country: String,
    /// A JSON array of photo ids.
    pub photo_ids: String,
    pub published_at: Option<i64>,
    pub updated_at: i64,
}

impl RecapRow {
    pub fn photo_ids(&self) -> Vec<i64> {
        serde_json::from_str(&self.photo_ids).unwrap_or_default()
    }
}

pub async fn get(db: &Db, campaign_id: i64) -> Result<Option<RecapRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT map_country, photo_ids, published_at, updated_at FROM recaps WHERE campaign_id = $1",
    )
    .bind(campaign_id)
    .fetch_optional(&db.pool)
    .await
}

pub async fn get_in(tx: &mut Tx, campaign_id: i64) -> Result<Option<RecapRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT map_country, photo_ids, published_at, updated_at FROM recaps WHERE campaign_id = $1",
    )
    .bind(campaign_id)
    .fetch_optional(&mut **tx)
    .await
}

/// The introduction in `lang`, else in English, else in any language: (language, text).
pub async fn introduction(
    db: &Db,
    campaign_id: i64,
    lang: Lang,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT language, introduction FROM recap_texts WHERE campaign_id = $1 \
         ORDER BY CASE WHEN language = $2 THEN 0 WHEN language = $3 THEN 1 ELSE 2 END, language \
         LIMIT 1",
    )
    .bind(campaign_id)
    .bind(lang.code())
    .bind(Lang::FALLBACK.code())
    .fetch_optional(&db.pool)
    .await
}

/// The introduction written in exactly `lang` (for the form), empty if none.
pub async fn introduction_in(db: &Db, campaign_id: i64, lang: Lang) -> Result<String, sqlx::Error> {
    let text: Option<(String,)> = sqlx::query_as(
        "SELECT introduction FROM recap_texts WHERE campaign_id = $1 AND language = $2",
    )
    .bind(campaign_id)
    .bind(lang.code())
    .fetch_optional(&db.pool)
    .await?;
    Ok(text.map(|t| t.0).unwrap_or_default())
}

/// Saves the settings and the introduction in `lang` (an empty one is removed).
pub async fn save(
    tx: &mut Tx,
    now: i64,
    campaign_id: i64,
    row: &RecapRow,
    lang: Lang,
    introduction: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO recaps (campaign_id, map_country, photo_ids, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (campaign_id) DO UPDATE SET map_country = excluded.map_country, \
           photo_ids = excluded.photo_ids, updated_at = excluded.updated_at",
    )
    .bind(campaign_id)
    .bind(&row.map_country)
    .bind(&row.photo_ids)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    if introduction.is_empty() {
        sqlx::query("DELETE FROM recap_texts WHERE campaign_id = $1 AND language = $2")
            .bind(campaign_id)
            .bind(lang.code())
            .execute(&mut **tx)
            .await?;
    } else {
        sqlx::query(
            "INSERT INTO recap_texts (campaign_id, language, introduction) VALUES ($1, $2, $3) \
             ON CONFLICT (campaign_id, language) DO UPDATE SET introduction = excluded.introduction",
        )
        .bind(campaign_id)
        .bind(lang.code())
        .bind(introduction)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Publishes (`Some(at)`) or takes back to a draft (`None`); a recap never set up is created.
pub async fn set_published(
    tx: &mut Tx,
    now: i64,
    campaign_id: i64,
    published_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO recaps (campaign_id, published_at, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (campaign_id) DO UPDATE SET published_at = excluded.published_at, \
           updated_at = excluded.updated_at",
    )
    .bind(campaign_id)
    .bind(published_at)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

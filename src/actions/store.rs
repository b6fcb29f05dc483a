//! All the SQL of online actions: new actions and their confirmation links (many to a
//! transaction, rows bound as one JSON parameter), confirmation, staff's clusters and
//! invalidation, the delivery list and log, and the 30-day clean-up.

use std::collections::HashSet;

use crate::db::{Backend, Db, Tx, json_rows_param};

/// One new action row, as the committer writes it.
#[derive(serde::Serialize)]
pub struct NewRow<'a> {
    pub campaign_id: i64,
    pub case_id: i64,
    pub email: &'a str,
    pub domain: &'a str,
    pub name: &'a str,
    pub country: &'a str,
    pub message: &'a str,
    pub updates: i64,
    pub language: &'a str,
    pub disposable: i64,
    pub ip_net: &'a str,
}

/// Inserts new actions; an email that already acted on a case (pending, confirmed or
/// invalidated) is left as it is: the first action stands.
pub async fn insert_actions(
    backend: Backend,
    tx: &mut Tx,
    now: i64,
    rows: &[NewRow<'_>],
) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.campaign_id,
                r.case_id,
                r.email,
                r.domain,
                r.name,
                r.country,
                r.message,
                r.updates,
                r.language,
                r.disposable,
                r.ip_net,
            )
        })
        .collect();
    let sql = format!(
        "INSERT INTO online_actions (campaign_id, case_id, email, email_domain, name, country, message, updates, \
         language, disposable, ip_net, created_at) \
         SELECT CAST(value ->> 0 AS BIGINT), CAST(value ->> 1 AS BIGINT), value ->> 2, value ->> 3, value ->> 4, \
         value ->> 5, value ->> 6, CAST(value ->> 7 AS BIGINT), value ->> 8, CAST(value ->> 9 AS BIGINT), value ->> 10, $2 \
         FROM {} WHERE true ON CONFLICT (case_id, email) DO NOTHING",
        backend.json_rows(1)
    );
    sqlx::query(&sql)
        .bind(json_rows_param(&rows))
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Of these (email, campaign) pairs, those with an action waiting for confirmation.
pub async fn pending(
    backend: Backend,
    tx: &mut Tx,
    pairs: &[(&str, i64)],
) -> Result<HashSet<(String, i64)>, sqlx::Error> {
    if pairs.is_empty() {
        return Ok(HashSet::new());
    }
    // A lookup per pair, by the email index, in a subquery no planner turns into a join: as a
    // join, PostgreSQL without statistics on a new table (a first viral burst) read every
    // unconfirmed action for each batch instead (`confirm_many` likewise).
    let sql = format!(
        "SELECT {} FROM (SELECT p.email, p.campaign_id FROM \
         (SELECT DISTINCT value ->> 0 AS email, CAST(value ->> 1 AS BIGINT) AS campaign_id FROM {}) p \
         WHERE (SELECT 1 FROM online_actions a WHERE a.email = p.email AND a.campaign_id = p.campaign_id \
         AND a.confirmed_at IS NULL AND a.invalidated_at IS NULL LIMIT 1) IS NOT NULL) x",
        backend.json_agg("x.email, x.campaign_id"),
        backend.json_rows(1)
    );
    let json: String = sqlx::query_scalar(&sql)
        .bind(json_rows_param(pairs))
        .fetch_one(&mut **tx)
        .await?;
    let rows: Vec<(String, i64)> =
        serde_json::from_str(&json).map_err(|e| sqlx::Error::Decode(e.into()))?;
    Ok(rows.into_iter().collect())
}

/// Stores confirmation links: (hash of the token, email, campaign id) each.
pub async fn insert_links(
    backend: Backend,
    tx: &mut Tx,
    now: i64,
    links: &[(&str, &str, i64)],
) -> Result<(), sqlx::Error> {
    if links.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO action_links (token_hash, email, campaign_id, created_at) \
         SELECT value ->> 0, value ->> 1, CAST(value ->> 2 AS BIGINT), $2 FROM {}",
        backend.json_rows(1)
    );
    sqlx::query(&sql)
        .bind(json_rows_param(links))
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A link as stored: (email, campaign id, sent at, used at).
pub type Link = (String, i64, i64, Option<i64>);

/// The link with this hash.
pub async fn link(db: &Db, token_hash: &str) -> Result<Option<Link>, sqlx::Error> {
    sqlx::query_as(
        "SELECT email, campaign_id, created_at, used_at FROM action_links WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(&db.pool)
    .await
}

/// Confirms the email's pending actions in the campaign made up to `up_to` (when the link was
/// sent); returns (case id, signer's country) of each, for the tally.
pub async fn confirm(
    tx: &mut Tx,
    now: i64,
    email: &str,
    campaign_id: i64,
    up_to: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE online_actions SET confirmed_at = $1 WHERE email = $2 AND campaign_id = $3 \
         AND confirmed_at IS NULL AND invalidated_at IS NULL AND created_at <= $4 RETURNING case_id, country",
    )
    .bind(now)
    .bind(email)
    .bind(campaign_id)
    .bind(up_to)
    .fetch_all(&mut **tx)
    .await
}

/// Uses up, in one statement, the links with these hashes that are unused and were sent after
/// `sent_after`: (hash, email, campaign id, sent at) of each.
pub async fn use_links(
    backend: Backend,
    tx: &mut Tx,
    now: i64,
    token_hashes: &[&str],
    sent_after: i64,
) -> Result<Vec<(String, String, i64, i64)>, sqlx::Error> {
    if token_hashes.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "UPDATE action_links SET used_at = $1 WHERE token_hash IN (SELECT value ->> 0 FROM {}) \
         AND used_at IS NULL AND created_at > $3 RETURNING token_hash, email, campaign_id, created_at",
        backend.json_rows(2)
    );
    let rows: Vec<(&str,)> = token_hashes.iter().map(|h| (*h,)).collect();
    sqlx::query_as(&sql)
        .bind(now)
        .bind(json_rows_param(&rows))
        .bind(sent_after)
        .fetch_all(&mut **tx)
        .await
}

/// [`confirm`] for many (email, campaign id, up to) at once, each pair at most once: one
/// statement finds the actions (a lookup per pair by the email index, as in [`pending`]), one
/// confirms them by id; returns (email, campaign id, case id, signer's country) of each.
pub async fn confirm_many(
    backend: Backend,
    tx: &mut Tx,
    now: i64,
    links: &[(&str, i64, i64)],
) -> Result<Vec<(String, i64, i64, String)>, sqlx::Error> {
    if links.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT (SELECT {} FROM online_actions a WHERE a.email = p.email AND a.campaign_id = p.campaign_id \
         AND a.confirmed_at IS NULL AND a.invalidated_at IS NULL AND a.created_at <= p.up_to) \
         FROM (SELECT value ->> 0 AS email, CAST(value ->> 1 AS BIGINT) AS campaign_id, \
         CAST(value ->> 2 AS BIGINT) AS up_to FROM {}) p",
        backend.json_agg("a.id"),
        backend.json_rows(1)
    );
    let found: Vec<Option<String>> = sqlx::query_scalar(&sql)
        .bind(json_rows_param(links))
        .fetch_all(&mut **tx)
        .await?;
    let mut ids: Vec<(i64,)> = Vec::new();
    for json in found.into_iter().flatten() {
        let rows: Vec<(i64,)> =
            serde_json::from_str(&json).map_err(|e| sqlx::Error::Decode(e.into()))?;
        ids.extend(rows);
    }
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "UPDATE online_actions SET confirmed_at = $1 WHERE id {} AND confirmed_at IS NULL \
         RETURNING email, campaign_id, case_id, country",
        backend.in_ids(2)
    );
    sqlx::query_as(&sql)
        .bind(now)
        .bind(json_rows_param(&ids))
        .fetch_all(&mut **tx)
        .await
}

/// Confirms every pending action of a campaign made up to `up_to` at once (the demo's signers,
/// whose links nobody presses); returns (case id, signer's country) of each, for the tally.
pub async fn confirm_campaign(
    tx: &mut Tx,
    now: i64,
    campaign_id: i64,
    up_to: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE online_actions SET confirmed_at = $1 WHERE campaign_id = $2 \
         AND confirmed_at IS NULL AND invalidated_at IS NULL AND created_at <= $3 RETURNING case_id, country",
    )
    .bind(now)
    .bind(campaign_id)
    .bind(up_to)
    .fetch_all(&mut **tx)
    .await
}

/// What a link would confirm, for its page: the signer's name and the cases' ids.
pub async fn awaiting(
    db: &Db,
    email: &str,
    campaign_id: i64,
    up_to: i64,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT name, case_id FROM online_actions WHERE email = $1 AND campaign_id = $2 \
         AND confirmed_at IS NULL AND invalidated_at IS NULL AND created_at <= $3 ORDER BY case_id",
    )
    .bind(email)
    .bind(campaign_id)
    .bind(up_to)
    .fetch_all(&db.pool)
    .await
}

/// Deletes actions never confirmed and links sent before `before`.
pub async fn purge_pending(db: &Db, before: i64) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let actions = sqlx::query(
        "DELETE FROM online_actions WHERE confirmed_at IS NULL AND invalidated_at IS NULL AND created_at < $1",
    )
    .bind(before)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query("DELETE FROM action_links WHERE created_at < $1")
        .bind(before)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(actions)
}

/// One line of a case's delivery list: name, country, message, confirmed at (no email).
#[derive(sqlx::FromRow)]
pub struct Signature {
    pub name: String,
    pub country: String,
    pub message: String,
    pub confirmed_at: i64,
}

/// The case's counted actions, oldest confirmation first.
pub async fn signatures(db: &Db, case_id: i64) -> Result<Vec<Signature>, sqlx::Error> {
    sqlx::query_as(
        "SELECT name, country, message, confirmed_at FROM online_actions \
         WHERE case_id = $1 AND confirmed_at IS NOT NULL AND invalidated_at IS NULL ORDER BY confirmed_at, id",
    )
    .bind(case_id)
    .fetch_all(&db.pool)
    .await
}

/// A group of a campaign's actions that look alike: same network, same message, or a burst
/// (one minute's actions from one network).
#[derive(Debug, sqlx::FromRow)]
pub struct Cluster {
    pub kind: String,
    pub key: String,
    pub actions: i64,
    pub confirmed: i64,
    pub disposable: i64,
    pub first_at: i64,
    pub last_at: i64,
}

/// Clusters of at least `min` live (not invalidated) actions, largest first.
pub async fn clusters(db: &Db, campaign_id: i64, min: i64) -> Result<Vec<Cluster>, sqlx::Error> {
    let agg = "CAST(COUNT(*) AS BIGINT) AS actions, \
               CAST(SUM(CASE WHEN confirmed_at IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS confirmed, \
               CAST(SUM(disposable) AS BIGINT) AS disposable, MIN(created_at) AS first_at, MAX(created_at) AS last_at";
    let sql = format!(
        "SELECT 'network' AS kind, ip_net AS key, {agg} FROM online_actions \
         WHERE campaign_id = $1 AND invalidated_at IS NULL GROUP BY ip_net HAVING COUNT(*) >= $2 \
         UNION ALL \
         SELECT 'message' AS kind, message AS key, {agg} FROM online_actions \
         WHERE campaign_id = $1 AND invalidated_at IS NULL AND message <> '' GROUP BY message HAVING COUNT(*) >= $2 \
         UNION ALL \
         SELECT 'burst' AS kind, ip_net || '@' || CAST(created_at / 60000 AS TEXT) AS key, {agg} FROM online_actions \
         WHERE campaign_id = $1 AND invalidated_at IS NULL GROUP BY ip_net, created_at / 60000 HAVING COUNT(*) >= $2 \
         ORDER BY 3 DESC, 1, 2 LIMIT 200"
    );
    sqlx::query_as(&sql)
        .bind(campaign_id)
        .bind(min)
        .fetch_all(&db.pool)
        .await
}

/// Invalidates a cluster's live actions; returns (case id, country, was confirmed) of each.
pub async fn invalidate(
    tx: &mut Tx,
    now: i64,
    staff_id: i64,
    campaign_id: i64,
    kind: &str,
    key: &str,
) -> Result<Vec<(i64, String, i64)>, sqlx::Error> {
    let which = match kind {
        "network" => "ip_net = $4",
        "message" => "message = $4",
        // `ip_net@minute`, as `clusters` writes it.
        _ => "ip_net || '@' || CAST(created_at / 60000 AS TEXT) = $4",
    };
    let sql = format!(
        "UPDATE online_actions SET invalidated_at = $1, invalidated_by = $2 \
         WHERE campaign_id = $3 AND invalidated_at IS NULL AND {which} \
         RETURNING case_id, country, CASE WHEN confirmed_at IS NULL THEN 0 ELSE 1 END"
    );
    sqlx::query_as(&sql)
        .bind(now)
        .bind(staff_id)
        .bind(campaign_id)
        .bind(key)
        .fetch_all(&mut **tx)
        .await
}

/// One delivery of a case's list to its authority.
#[derive(sqlx::FromRow)]
pub struct Delivery {
    pub delivered_on: String,
    pub method: String,
    pub note: String,
    pub actions: i64,
    pub recorded_by: String,
    pub recorded_at: i64,
}

pub async fn deliveries(db: &Db, case_id: i64) -> Result<Vec<Delivery>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.delivered_on, d.method, d.note, d.actions, a.display_name AS recorded_by, d.recorded_at \
         FROM action_deliveries d JOIN accounts a ON a.id = d.recorded_by WHERE d.case_id = $1 ORDER BY d.id DESC",
    )
    .bind(case_id)
    .fetch_all(&db.pool)
    .await
}

/// Records a delivery; returns its id.
#[allow(clippy::too_many_arguments)]
pub async fn add_delivery(
    tx: &mut Tx,
    now: i64,
    case_id: i64,
    delivered_on: &str,
    method: &str,
    note: &str,
    actions: i64,
    staff_id: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO action_deliveries (case_id, delivered_on, method, note, actions, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(case_id)
    .bind(delivered_on)
    .bind(method)
    .bind(note)
    .bind(actions)
    .bind(staff_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

/// Counted actions per case of a campaign: (case id, how many).
pub async fn counted_per_case(db: &Db, campaign_id: i64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT case_id, CAST(COUNT(*) AS BIGINT) FROM online_actions WHERE campaign_id = $1 \
         AND confirmed_at IS NOT NULL AND invalidated_at IS NULL GROUP BY case_id",
    )
    .bind(campaign_id)
    .fetch_all(&db.pool)
    .await
}

/// The server's secret for online actions (signing challenges, hashing networks), made once
/// and kept in `settings` so every process shares it.
pub async fn server_secret(db: &Db) -> Result<String, sqlx::Error> {
    sqlx::query(
        "INSERT INTO settings (name, value) VALUES ('action_secret', $1) ON CONFLICT (name) DO NOTHING",
    )
    .bind(crate::secret::random_token())
    .execute(&db.pool)
    .await?;
    sqlx::query_scalar("SELECT value FROM settings WHERE name = 'action_secret'")
        .fetch_one(&db.pool)
        .await
}

//! The second factor: a TOTP authenticator (RFC 6238: six digits, 30-second steps, one step of
//! clock drift either way), with ten single-use recovery codes. Staff and admins must have one:
//! a session signed in without it carries a host's rights only (see `session::lookup`).

use rand::Rng;
use totp_rs::{Builder, Secret, Totp};

use super::store;
use crate::db::{Db, Tx};
use crate::secret::secret_hash;

const ISSUER: &str = "Writeathon";
/// Recovery codes made at enrolment, each usable once.
pub const RECOVERY_CODES: usize = 10;

fn totp(secret_base32: &str, email: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret_base32).ok()?;
    Builder::new()
        .with_secret(secret)
        .with_account_name(email.replace(':', ""))
        .with_issuer(Some(ISSUER))
        .build()
        .ok()
}

/// The code an authenticator shows at `at_ms` (tests, and the enrolment page's own check).
pub fn code_at(secret_base32: &str, at_ms: i64) -> Option<String> {
    Some(
        totp(secret_base32, "x")?
            .generate((at_ms / 1000).max(0) as u64)
            .to_string(),
    )
}

/// What the enrolment page shows: the secret as text, the `otpauth://` link (for enrolling on the
/// phone that holds the authenticator) and the same link as a QR code (an SVG data URI).
pub struct Enrolment {
    pub secret: String,
    pub url: String,
    pub qr: String,
}

impl Enrolment {
    fn new(secret: String, email: &str) -> Option<Enrolment> {
        let url = totp(&secret, email)?.to_url().ok()?;
        let qr = qrcode::QrCode::new(url.as_bytes()).ok()?;
        let svg = qr
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(220, 220)
            .quiet_zone(true)
            .build();
        use base64::Engine;
        let qr = format!(
            "data:image/svg+xml;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(svg)
        );
        Some(Enrolment { secret, url, qr })
    }
}

/// Whether the account signs in with a second factor.
pub async fn is_enabled(db: &Db, account_id: i64) -> Result<bool, sqlx::Error> {
    store::second_factor::is_enabled(db, account_id).await
}

/// The enrolment under way for the account, started now if there is none.
pub async fn enrolment(db: &Db, account_id: i64, email: &str) -> Result<Enrolment, sqlx::Error> {
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill(&mut bytes);
    let fresh = Secret::from(bytes).to_base32();
    let secret = store::second_factor::secret_or(db, account_id, &fresh, db.now_ms()).await?;
    Enrolment::new(secret, email)
        .ok_or_else(|| sqlx::Error::Protocol("unusable TOTP secret".into()))
}

/// Accepts a code for the account in the caller's transaction: an authenticator code of the
/// current step (±1) not used before, or an unused recovery code (used up here). With
/// `enrolling`, the factor is the one being set up, and a good code turns it on.
pub async fn accept(
    tx: &mut Tx,
    now: i64,
    account_id: i64,
    code: &str,
    enrolling: bool,
) -> Result<bool, sqlx::Error> {
    let code: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let Some(factor) = store::second_factor::factor(tx, account_id).await? else {
        return Ok(false);
    };
    let enabled = factor.enabled_at.is_some();
    if enabled == enrolling {
        return Ok(false);
    }
    if code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()) {
        let secret = factor.secret;
        let step = totp(&secret, "x").and_then(|t| t.check(&code, (now / 1000).max(0) as u64));
        let Some(step) = step.map(|s| s as i64) else {
            return Ok(false);
        };
        // Only a later step than the last one accepted: a code seen over a shoulder or in a
        // log is worth nothing once used.
        return store::second_factor::accept_step(tx, now, account_id, step).await;
    }
    if enrolling {
        return Ok(false);
    }
    store::second_factor::use_recovery_code(tx, now, account_id, &secret_hash(&code.to_lowercase()))
        .await
}

/// New recovery codes for the account (the old ones stop working); shown once, stored hashed.
pub async fn new_recovery_codes(tx: &mut Tx, account_id: i64) -> Result<Vec<String>, sqlx::Error> {
    store::second_factor::delete_recovery_codes(tx, account_id).await?;
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        // Ten lower-case letters and digits in two groups: easy to copy by hand, 50 bits.
        const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
        let mut rng = rand::rngs::OsRng;
        let raw: String = (0..10)
            .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
            .collect();
        store::second_factor::insert_recovery_code(tx, account_id, &secret_hash(&raw)).await?;
        codes.push(format!("{}-{}", &raw[..5], &raw[5..]));
    }
    Ok(codes)
}

/// A sign-in that passed the password (or a mailed link) and waits for the second factor;
/// returns the token its cookie carries. Five minutes to type the code.
pub async fn pend(db: &Db, account_id: i64, next: &str) -> Result<String, sqlx::Error> {
    let token = crate::secret::random_token();
    store::second_factor::insert_pending(
        db,
        &secret_hash(&token),
        account_id,
        next,
        db.now_ms() + 5 * 60 * 1000,
    )
    .await?;
    Ok(token)
}

/// The pending sign-in behind a cookie: (account id, where to go next).
pub async fn pending(db: &Db, token: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    if token.len() > 64 {
        return Ok(None);
    }
    store::second_factor::pending(db, &secret_hash(token), db.now_ms()).await
}

/// Ends a pending sign-in (it succeeded) in the caller's transaction.
pub async fn finish(tx: &mut Tx, token: &str) -> Result<(), sqlx::Error> {
    store::second_factor::delete_pending(tx, &secret_hash(token)).await?;
    Ok(())
}

/// Drops pending sign-ins that expired.
pub async fn purge_expired(db: &Db) -> Result<u64, sqlx::Error> {
    store::second_factor::purge_pending(db, db.now_ms()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_rfc_6238() {
        // RFC 6238 appendix B, SHA-1, the 20-byte ASCII secret "12345678901234567890".
        let secret = Secret::from(b"12345678901234567890".to_vec()).to_base32();
        assert_eq!(code_at(&secret, 59_000).unwrap(), "287082");
        assert_eq!(code_at(&secret, 1_111_111_109_000).unwrap(), "081804");
        let e = Enrolment::new(secret, "staff@example.org").unwrap();
        assert!(
            e.url
                .starts_with("otpauth://totp/Writeathon:staff%40example.org?")
        );
        assert!(e.qr.starts_with("data:image/svg+xml;base64,"));
    }
}

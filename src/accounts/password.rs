//! Passwords: argon2id hashes, a length range, and a list of common passwords shipped with us
//! (`data/common-passwords.txt`, see `data/README.md`).

use std::collections::HashSet;
use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};

use crate::web::forms::{FieldErrors, Msg};

fn common() -> &'static HashSet<&'static str> {
    static COMMON: OnceLock<HashSet<&'static str>> = OnceLock::new();
    COMMON.get_or_init(|| {
        include_str!("../../data/common-passwords.txt")
            .lines()
            .collect()
    })
}

/// Checks a new password: 8–128 characters, not on the common list, not the email itself.
pub fn check_new(errors: &mut FieldErrors, field: &str, password: &str, email: &str) {
    let len = password.chars().count();
    if !(8..=128).contains(&len) {
        errors.add(
            field,
            Msg::new("password-length").arg("min", 8).arg("max", 128),
        );
    } else if common().contains(password.to_lowercase().as_str())
        || password.eq_ignore_ascii_case(email)
    {
        errors.add(field, Msg::new("password-common"));
    }
}

/// Hashes on a blocking thread: argon2id takes tens of milliseconds of CPU by design.
pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
    })
    .await?
}

/// Verifies on a blocking thread. With no stored hash (unknown account) it still does the work
/// of one verification, so response times do not tell which emails have accounts.
pub async fn verify(stored: Option<String>, password: String) -> bool {
    tokio::task::spawn_blocking(move || {
        let decoy;
        let stored = match &stored {
            Some(s) => s.as_str(),
            None => {
                decoy = decoy_hash();
                decoy.as_str()
            }
        };
        let ok = PasswordHash::new(stored)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        ok && !stored.is_empty() && stored != decoy_hash()
    })
    .await
    .unwrap_or(false)
}

fn decoy_hash() -> &'static String {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(b"no account has this password", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_and_verify() {
        let h = hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify(Some(h.clone()), "correct horse battery".into()).await);
        assert!(!verify(Some(h), "wrong horse battery".into()).await);
        assert!(!verify(None, "no account has this password".into()).await);
    }

    #[test]
    fn common_list_is_loaded() {
        assert!(common().len() > 5000);
        let mut errors = FieldErrors::default();
        check_new(&mut errors, "p", "PassWord123", "x@y.z");
        check_new(&mut errors, "q", "x@y.zzzzz", "x@y.zzzzz");
        assert_eq!(errors.get("p")[0].key, "password-common");
        assert_eq!(errors.get("q")[0].key, "password-common");
    }
}

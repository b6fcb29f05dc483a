//! Passwords: argon2id hashes, a length range, and two lists shipped with us (see
//! `data/README.md`): common passwords (`data/common-passwords.txt`) and passwords found in
//! public breaches (`data/breached-passwords.txt.gz`, sorted, looked up by binary search).

use std::collections::HashSet;
use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};

use crate::i18n::{FieldErrors, Msg};

fn common() -> &'static HashSet<&'static str> {
    static COMMON: OnceLock<HashSet<&'static str>> = OnceLock::new();
    COMMON.get_or_init(|| {
        include_str!("../../data/common-passwords.txt")
            .lines()
            .collect()
    })
}

/// The breached list, unpacked once (about 0.5 MB); sorted, so a lookup is a binary search.
fn breached() -> &'static [&'static str] {
    static BREACHED: OnceLock<Vec<&'static str>> = OnceLock::new();
    BREACHED.get_or_init(|| {
        use std::io::Read;
        let mut text = String::new();
        flate2::read::GzDecoder::new(&include_bytes!("../../data/breached-passwords.txt.gz")[..])
            .read_to_string(&mut text)
            .expect("the breached-password list shipped with us unpacks");
        text.leak().lines().collect()
    })
}

/// Whether a password is on either list (both are lower-case).
pub fn is_known(password: &str) -> bool {
    let lower = password.to_lowercase();
    common().contains(lower.as_str()) || breached().binary_search(&lower.as_str()).is_ok()
}

/// Checks a new password: 8–128 characters, on neither list, not the email itself.
pub fn check_new(errors: &mut FieldErrors, field: &str, password: &str, email: &str) {
    let len = password.chars().count();
    if !(8..=128).contains(&len) {
        errors.add(
            field,
            Msg::new("password-length").arg("min", 8).arg("max", 128),
        );
    } else if is_known(password) || password.eq_ignore_ascii_case(email) {
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

    #[test]
    fn breached_passwords_are_refused_too() {
        let list = breached();
        assert!(list.len() > 40_000);
        assert!(
            list.windows(2).all(|w| w[0] < w[1]),
            "sorted for binary search"
        );
        // On the breach list, not on the common one: refused, whatever its case.
        let only_breached = list
            .iter()
            .find(|p| !common().contains(*p))
            .expect("the lists differ");
        let mut errors = FieldErrors::default();
        check_new(&mut errors, "p", &only_breached.to_uppercase(), "x@y.z");
        assert_eq!(errors.get("p")[0].key, "password-common");
        let mut errors = FieldErrors::default();
        check_new(
            &mut errors,
            "p",
            "letters for lighthouse keepers 17",
            "x@y.z",
        );
        assert!(errors.is_empty());
    }

    /// A benchmark, not a test (BENCHMARKS.md): the time of one check on both lists.
    /// `cargo test --release --lib password::tests::bench_known -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn bench_known() {
        let probes: Vec<String> = (0..100_000)
            .map(|i| match i % 3 {
                0 => breached()[i % breached().len()].to_string(),
                1 => format!("a passphrase nobody has {i}"),
                _ => "Password123".to_string(),
            })
            .collect();
        is_known("warm up the lists");
        let started = std::time::Instant::now();
        let hits = probes.iter().filter(|p| is_known(p)).count();
        let per = started.elapsed() / probes.len() as u32;
        println!("{} checks, {hits} known, {per:?} per check", probes.len());
    }
}

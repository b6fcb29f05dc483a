//! Secrets: made random, stored only as their SHA-256, so a database leak yields no usable
//! session, token or link. At the bottom of the house: accounts, mail and storage all use it.

use base64::Engine;
use rand::RngCore;

/// 32 random bytes, URL-safe: session ids, API tokens, CSRF tokens, links sent by mail.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored of a secret.
pub fn secret_hash(secret: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(secret.as_bytes()))
}

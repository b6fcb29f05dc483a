//! Keeping bots from the count without a third-party captcha: rate limits per sender (an IPv6
//! client by its /64, as `web::client_ip` counts it) and per email domain, in the database
//! like every rate limit; a proof-of-work challenge (ALTCHA, self-hosted: the `altcha` crate
//! makes and checks it, `static/act.js` solves it in the browser) once a sender or the whole
//! site is above normal rates (`--action-challenge`); throwaway mail domains marked for staff.
//! Nothing here tells a bot which of its actions staff later invalidate.

use std::net::IpAddr;
use std::sync::atomic::{AtomicI64, Ordering};

use base64::Engine;

use crate::config::ActionChallenge;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::secret::secret_hash;
use crate::state::AppState;
use crate::web::rate_limit::{self, Limit};

/// Actions from one sender: past this, 429.
pub const PER_IP: Limit = Limit {
    hits: 30,
    window_secs: 600,
};
/// Actions from one sender without a solved challenge, when `--action-challenge auto`.
pub const FREE_PER_IP: i64 = 5;
/// Actions with addresses at one domain (a big provider sees many at a viral moment).
pub const PER_DOMAIN: Limit = Limit {
    hits: 6000,
    window_secs: 60,
};
/// Actions with addresses at one throwaway domain.
pub const PER_DISPOSABLE_DOMAIN: Limit = Limit {
    hits: 20,
    window_secs: 600,
};
/// Actions a second across the site above which, with `auto`, everyone solves a challenge.
pub const SITE_NORMAL_PER_SEC: i64 = 400;
/// How hard a challenge is: SHA-256 digests whose first two bytes are zero, 65,536 tries on
/// average (a second or two in a phone's browser; a bot pays it for every action).
const KEY_PREFIX: &str = "0000";
/// How long a challenge may be solved and used.
const CHALLENGE_FOR_MS: i64 = 10 * 60_000;

/// The network an address belongs to, as staff's clusters group senders: an IPv4 /24 or an
/// IPv6 /48, hashed with the server's secret so no address is stored.
pub fn network_of(secret: &str, ip: IpAddr) -> String {
    let net = match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            format!("{}.{}.{}.0/24", o[0], o[1], o[2])
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
        }
    };
    secret_hash(&format!("{secret}|{net}"))[..16].to_string()
}

/// Actions taken this second and the one before, across this process.
pub struct SiteRate {
    second: AtomicI64,
    this: AtomicI64,
    last: AtomicI64,
}

impl Default for SiteRate {
    fn default() -> Self {
        SiteRate {
            second: AtomicI64::new(0),
            this: AtomicI64::new(0),
            last: AtomicI64::new(0),
        }
    }
}

impl SiteRate {
    /// Counts one action at `now_ms`; returns the rate of the last full second or this one.
    pub fn count(&self, now_ms: i64) -> i64 {
        let second = now_ms / 1000;
        let seen = self.second.swap(second, Ordering::Relaxed);
        if seen != second {
            let this = self.this.swap(0, Ordering::Relaxed);
            let last = if seen == second - 1 { this } else { 0 };
            self.last.store(last, Ordering::Relaxed);
        }
        let now = self.this.fetch_add(1, Ordering::Relaxed) + 1;
        now.max(self.last.load(Ordering::Relaxed))
    }
}

/// Counts the action against the sender's and the domain's limits, and checks its challenge
/// when one is due. `Err(RateLimited)` past a limit or without a needed solution: the sender
/// gets a fresh challenge (`challenge`) and tries again.
pub async fn admit(
    state: &AppState,
    ip: IpAddr,
    domain: &str,
    disposable: bool,
    solution: Option<&str>,
) -> Result<()> {
    let db = &state.db;
    let per_domain = if disposable {
        PER_DISPOSABLE_DOMAIN
    } else {
        PER_DOMAIN
    };
    // Both windows in one write: a burst's every action pays for it before its group commit.
    let (sender, mail) = (format!("action-ip:{ip}"), format!("action-domain:{domain}"));
    let hits = rate_limit::hits_many(db, &[(&sender, PER_IP), (&mail, per_domain)]).await?;
    let from_ip = hits[0];
    let site = state.actions().site_rate.count(db.now_ms());
    let needed = match state.settings.action_challenge {
        ActionChallenge::Off => false,
        ActionChallenge::Always => true,
        ActionChallenge::Auto => from_ip > FREE_PER_IP || site > SITE_NORMAL_PER_SEC,
    };
    if !needed {
        return Ok(());
    }
    match solution {
        Some(payload) if verify(state, payload).await? => Ok(()),
        _ => Err(Error::RateLimited {
            retry_after_secs: 1,
        }),
    }
}

/// Whether a challenge is due for this sender now (the form then carries one).
pub async fn due(state: &AppState, ip: IpAddr) -> bool {
    match state.settings.action_challenge {
        ActionChallenge::Off => false,
        ActionChallenge::Always => true,
        ActionChallenge::Auto => {
            let hits = crate::web::store::rate_limit_peek(
                &state.db,
                &secret_hash(&format!("action-ip:{ip}")),
                window_start(state.db.now_ms(), PER_IP),
            )
            .await
            .unwrap_or(0);
            hits >= FREE_PER_IP
        }
    }
}

fn window_start(now: i64, limit: Limit) -> i64 {
    let window_ms = limit.window_secs * 1000;
    now - now.rem_euclid(window_ms)
}

/// A fresh challenge, signed with the server's secret, as the JSON the solver reads.
pub async fn challenge(state: &AppState) -> Result<String> {
    let secret = state.actions().secret(&state.db).await?;
    let mut data = std::collections::BTreeMap::new();
    // Our clock, not the system's: the crate's own expiry reads the system time.
    data.insert(
        "exp".to_string(),
        serde_json::Value::from(state.db.now_ms() + CHALLENGE_FOR_MS),
    );
    let made = altcha::create_challenge(altcha::CreateChallengeOptions {
        algorithm: "SHA-256".to_string(),
        cost: 1,
        key_prefix: KEY_PREFIX.to_string(),
        data: Some(data),
        hmac_signature_secret: Some(secret),
        ..Default::default()
    })
    .map_err(|e| Error::Internal(anyhow::anyhow!("challenge: {e}")))?;
    Ok(serde_json::to_string(&made).map_err(anyhow::Error::from)?)
}

/// Checks a solution (the base64 of ALTCHA's JSON payload): signed by us, not expired by our
/// clock, solved, and not used before (each challenge counts once).
async fn verify(state: &AppState, payload: &str) -> Result<bool> {
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(payload.trim()) else {
        return Ok(false);
    };
    let Ok(payload) = serde_json::from_slice::<altcha::Payload>(&bytes) else {
        return Ok(false);
    };
    let expires = payload
        .challenge
        .parameters
        .data
        .as_ref()
        .and_then(|d| d.get("exp"))
        .and_then(|v| v.as_i64());
    if expires.is_none_or(|exp| exp < state.db.now_ms())
        || payload.challenge.parameters.key_prefix != KEY_PREFIX
    {
        return Ok(false);
    }
    let secret = state.actions().secret(&state.db).await?;
    let verified = altcha::verify_solution(altcha::VerifySolutionOptions::new(
        &payload.challenge,
        &payload.solution,
        secret,
    ))
    .is_ok_and(|r| r.verified);
    if !verified {
        return Ok(false);
    }
    // Once only: a second use of the same challenge finds its window's one hit taken.
    let once = Limit {
        hits: 1,
        window_secs: CHALLENGE_FOR_MS / 1000 * 2,
    };
    let nonce = &payload.challenge.parameters.nonce;
    Ok(
        rate_limit::hit(&state.db, &format!("action-challenge:{nonce}"), once)
            .await
            .is_ok(),
    )
}

/// The message an action refused for its rate gets.
pub fn slow_down() -> Msg {
    Msg::new("action-slow-down")
}

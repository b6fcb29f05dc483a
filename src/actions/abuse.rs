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
use crate::web::rate_limit::{Limit, Window};

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
/// A challenge's one use, remembered past its expiry (its window is placed by the expiry).
const ONCE: Limit = Limit {
    hits: 1,
    window_secs: CHALLENGE_FOR_MS / 1000 * 2,
};

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

/// What an action is counted against, prepared by its handler and judged in its group commit
/// (`committer`), where a whole batch's hits are counted in one statement: counted one by one,
/// each action's hit was a durable commit of its own before the action's, and those commits,
/// one at a time, were what held a burst to about 600 actions a second (BENCHMARKS.md).
#[derive(Clone, Debug)]
pub struct Admission {
    /// The sender's window, then the mail domain's.
    pub limits: [Window; 2],
    /// A solved challenge whose signature, expiry and work are checked: its one-hit window, so
    /// each challenge counts once.
    pub solved: Option<Window>,
    /// When a challenge is needed.
    pub challenge: Needed,
}

/// When an action needs a solved challenge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needed {
    Never,
    Always,
    /// Past the sender's free actions.
    AfterFree,
}

impl Admission {
    /// The windows to count a hit on, in the order `judge` reads their counts.
    pub fn windows(&self) -> impl Iterator<Item = &Window> {
        self.limits.iter().chain(self.solved.as_ref())
    }

    /// Given each window's hits with this one (in `windows` order): `Err(seconds to wait)` past a
    /// limit or without a needed solution (the sender then gets a fresh challenge).
    pub fn judge(&self, hits: &[i64], now: i64) -> std::result::Result<(), u64> {
        let wait = self
            .limits
            .iter()
            .zip(hits)
            .filter(|(w, n)| w.exceeded_by(**n))
            .map(|(w, _)| w.retry_after_secs(now))
            .max();
        if let Some(secs) = wait {
            return Err(secs);
        }
        let needed = match self.challenge {
            Needed::Never => false,
            Needed::Always => true,
            Needed::AfterFree => hits[0] > FREE_PER_IP,
        };
        let solved = self.solved.is_some() && hits.get(2).is_some_and(|n| *n <= 1);
        if needed && !solved { Err(1) } else { Ok(()) }
    }
}

/// The action's windows (the sender's and the domain's limits) and its challenge, checked as far
/// as it can be without the database; its group commit counts the hits and judges.
pub async fn admission(
    state: &AppState,
    ip: IpAddr,
    domain: &str,
    disposable: bool,
    solution: Option<&str>,
) -> Result<Admission> {
    let now = state.db.now_ms();
    let per_domain = if disposable {
        PER_DISPOSABLE_DOMAIN
    } else {
        PER_DOMAIN
    };
    let site = state.actions().site_rate.count(now);
    let challenge = match state.settings.action_challenge {
        ActionChallenge::Off => Needed::Never,
        ActionChallenge::Always => Needed::Always,
        ActionChallenge::Auto if site > SITE_NORMAL_PER_SEC => Needed::Always,
        ActionChallenge::Auto => Needed::AfterFree,
    };
    let solved = match solution {
        Some(payload) if challenge != Needed::Never => verify(state, payload)
            .await?
            // Placed by the challenge's expiry, not by now: every use of one challenge falls in
            // the same window, however near a window's end it is used.
            .map(|(nonce, exp)| Window::at(&format!("action-challenge:{nonce}"), ONCE, exp)),
        _ => None,
    };
    Ok(Admission {
        limits: [
            Window::at(&format!("action-ip:{ip}"), PER_IP, now),
            Window::at(&format!("action-domain:{domain}"), per_domain, now),
        ],
        solved,
        challenge,
    })
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
/// clock, and solved; returns its challenge's nonce and expiry, whose single use the group
/// commit counts.
async fn verify(state: &AppState, payload: &str) -> Result<Option<(String, i64)>> {
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(payload.trim()) else {
        return Ok(None);
    };
    let Ok(payload) = serde_json::from_slice::<altcha::Payload>(&bytes) else {
        return Ok(None);
    };
    let expires = payload
        .challenge
        .parameters
        .data
        .as_ref()
        .and_then(|d| d.get("exp"))
        .and_then(|v| v.as_i64());
    let Some(exp) = expires.filter(|exp| *exp >= state.db.now_ms()) else {
        return Ok(None);
    };
    if payload.challenge.parameters.key_prefix != KEY_PREFIX {
        return Ok(None);
    }
    let secret = state.actions().secret(&state.db).await?;
    let verified = altcha::verify_solution(altcha::VerifySolutionOptions::new(
        &payload.challenge,
        &payload.solution,
        secret,
    ))
    .is_ok_and(|r| r.verified);
    Ok(verified.then(|| (payload.challenge.parameters.nonce.clone(), exp)))
}

/// The message an action refused for its rate gets.
pub fn slow_down() -> Msg {
    Msg::new("action-slow-down")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admission(challenge: Needed, solved: bool) -> Admission {
        let now = 1_000_000;
        Admission {
            limits: [
                Window::at("action-ip:192.0.2.1", PER_IP, now),
                Window::at("action-domain:example.org", PER_DOMAIN, now),
            ],
            solved: solved.then(|| Window::at("action-challenge:n", ONCE, now)),
            challenge,
        }
    }

    #[test]
    fn limits_then_challenges_decide() {
        let now = 1_000_000;
        let free = admission(Needed::AfterFree, false);
        assert_eq!(free.judge(&[FREE_PER_IP, 1], now), Ok(()));
        assert_eq!(free.judge(&[FREE_PER_IP + 1, 1], now), Err(1));
        // Past the sender's limit: wait for its window's end, solved or not.
        let wait = free.judge(&[PER_IP.hits + 1, 1], now).unwrap_err();
        assert_eq!(wait, free.limits[0].retry_after_secs(now));
        assert!(wait > 1);
        let solved = admission(Needed::AfterFree, true);
        assert_eq!(solved.judge(&[FREE_PER_IP + 1, 1, 1], now), Ok(()));
        // The challenge's second use is no solution.
        assert_eq!(solved.judge(&[FREE_PER_IP + 1, 1, 2], now), Err(1));
        assert!(
            admission(Needed::AfterFree, true)
                .judge(&[PER_IP.hits + 1, 1, 1], now)
                .is_err()
        );
        assert_eq!(admission(Needed::Always, false).judge(&[1, 1], now), Err(1));
        assert_eq!(
            admission(Needed::Always, true).judge(&[1, 1, 1], now),
            Ok(())
        );
        assert_eq!(
            admission(Needed::Never, false).judge(&[29, 5999], now),
            Ok(())
        );
        assert!(
            admission(Needed::Never, false)
                .judge(&[1, PER_DOMAIN.hits + 1], now)
                .is_err()
        );
    }
}

//! The demo's and the benchmark's hosts: `{prefix}-N@example.org` accounts without a password,
//! so nobody can sign in as them; the first `FRENCH_HOSTS` write in French.

use super::data::NAMES;
use super::events::FRENCH_HOSTS;
use crate::accounts::Role;
use crate::accounts::store as accounts;
use crate::db::Tx;
use crate::i18n::Lang;

fn host_first_name(french: bool, n: usize) -> &'static str {
    let firsts = NAMES.first(if french { "fr" } else { "en" });
    let step = if french { 5 } else { 7 };
    &firsts[(n * step) % firsts.len()]
}

/// Host number `n`'s name, and whether they write in French.
pub fn host_name(n: usize) -> (String, bool) {
    let french = n <= FRENCH_HOSTS;
    let lasts = NAMES.last(if french { "fr" } else { "en" });
    let step = if french { 7 } else { 11 };
    let last = &lasts[(n * step) % lasts.len()];
    (format!("{} {last}", host_first_name(french, n)), french)
}

/// The ids of the accounts `{prefix}-1@example.org` … `{prefix}-{count}@example.org`, in order,
/// creating those that are missing.
pub async fn ensure(tx: &mut Tx, now: i64, prefix: &str, count: usize) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(count);
    for n in 1..=count {
        let (name, french) = host_name(n);
        let name = if prefix == "demo-host" {
            name
        } else {
            format!("{name} ({n})")
        };
        let language = Lang::from_code(if french { "fr" } else { "en" }).unwrap_or(Lang::FALLBACK);
        let email = format!("{prefix}-{n}@example.org");
        ids.push(
            accounts::ensure_without_password(tx, now, &email, &name, Role::Host, language).await?,
        );
    }
    Ok(ids)
}

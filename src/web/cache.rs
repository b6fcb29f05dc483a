//! Short-lived in-process caches for lookups made on every request of a hot route (a bearer
//! token, an event, a campaign's cases), from mini-moka. Entries are served for at most their
//! time to live, so a change made by another process is seen within that time; changes made here
//! invalidate entries at once.

use std::hash::Hash;
use std::time::Duration;

pub type TtlCache<K, V> = mini_moka::sync::Cache<K, V>;

/// A cache whose entries live `ttl` and which holds at most `capacity` of them.
pub fn ttl_cache<K, V>(ttl: Duration, capacity: u64) -> TtlCache<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    mini_moka::sync::Cache::builder()
        .time_to_live(ttl)
        .max_capacity(capacity)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_can_be_forgotten() {
        let c = ttl_cache(Duration::from_millis(30), 10);
        c.insert(1, "a");
        assert_eq!(c.get(&1), Some("a"));
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(c.get(&1), None);
        c.insert(4, "d");
        assert_eq!(c.get(&4), Some("d"));
        c.invalidate(&4);
        assert_eq!(c.get(&4), None);
    }
}

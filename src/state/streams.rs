//! Open tally streams per client (`--tally-streams-per-client`): a stream never ends by itself,
//! so one client may hold only so many, on either path (`tally::direct` or the route).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// Open tally streams per client, each held by a [`StreamSlot`].
pub struct StreamCounts {
    limit: usize,
    /// A `std` mutex: a map update, never held across an await.
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// One open stream of a client; dropping it (the stream ended) frees its place.
pub struct StreamSlot {
    counts: Arc<StreamCounts>,
    client: IpAddr,
}

impl StreamCounts {
    pub fn new(limit: usize) -> Arc<StreamCounts> {
        Arc::new(StreamCounts {
            limit,
            open: Mutex::default(),
        })
    }

    /// A place for one more stream of `client` (as `client_ip` counts it), if it has one left.
    pub fn open(self: &Arc<Self>, client: IpAddr) -> Option<StreamSlot> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(client).or_default();
        if *count >= self.limit {
            return None;
        }
        *count += 1;
        Some(StreamSlot {
            counts: self.clone(),
            client,
        })
    }

    /// Streams open now, of every client.
    pub fn total(&self) -> usize {
        let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.values().sum()
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.counts.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.client) {
            *count -= 1;
            if *count == 0 {
                // Only clients with streams open stay in the map.
                open.remove(&self.client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_holds_at_most_its_streams_and_gets_them_back() {
        let counts = StreamCounts::new(2);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        let first = counts.open(a).unwrap();
        let _second = counts.open(a).unwrap();
        assert!(counts.open(a).is_none());
        let _other = counts.open(b).unwrap();
        assert_eq!(counts.total(), 3);
        drop(first);
        assert_eq!(counts.total(), 2);
        let _again = counts.open(a).unwrap();
        assert!(counts.open(a).is_none());
        drop((_second, _again));
        assert!(!counts.open.lock().unwrap().contains_key(&a));
    }
}

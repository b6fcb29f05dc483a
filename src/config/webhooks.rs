//! How webhooks are delivered: whether a webhook may point at this network's own addresses, the
//! worker's pace and how long one delivery may take. Part of `Settings`; the delivery itself is
//! `webhooks::worker`.

use std::time::Duration;

#[derive(Clone, Debug)]
pub struct WebhookSettings {
    /// Whether a webhook may reach loopback, private, link-local and other non-public addresses
    /// (`--webhook-allow-private`). Off: an administrator's URL cannot be used to make the server
    /// call the machines behind it (SSRF); a receiver on the same host or LAN needs it on.
    pub allow_private: bool,
    /// How often an idle worker looks for due deliveries.
    pub poll: Duration,
    /// Longest one delivery may take (connect, send, the receiver's answer).
    pub timeout: Duration,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            allow_private: false,
            poll: Duration::from_secs(1),
            timeout: Duration::from_secs(10),
        }
    }
}

//! Where the worker delivers: an SMTP server (`WRITEATHON_SMTP_URL`) or, for newcomers, `.eml`
//! files under `<data-dir>/outbox/`.

use std::path::PathBuf;
use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::config::mail::{TlsMode, Transport};

/// A transport ready to send.
pub enum Sender {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

/// Why a delivery did not happen.
pub enum SendError {
    /// The server refused for good (5xx): no retry.
    Permanent(String),
    /// Worth trying again later (4xx, connection, timeout).
    Transient(String),
}

impl Sender {
    pub fn new(transport: &Transport, timeout: Duration) -> anyhow::Result<Sender> {
        Ok(match transport {
            Transport::Files(dir) => Sender::Files(dir.clone()),
            Transport::Smtp(cfg) => {
                let tls = match cfg.tls {
                    TlsMode::None => Tls::None,
                    TlsMode::StartTls => Tls::Required(TlsParameters::new(cfg.host.clone())?),
                    TlsMode::Tls => Tls::Wrapper(TlsParameters::new(cfg.host.clone())?),
                };
                let mut builder =
                    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(cfg.host.as_str())
                        .port(cfg.port)
                        .tls(tls)
                        .timeout(Some(timeout))
                        // As many connections as the worker has messages on their way.
                        .pool_config(
                            PoolConfig::new().max_size(crate::outbox::worker::SENDING as u32),
                        );
                if let Some((user, pass)) = &cfg.credentials {
                    builder = builder.credentials(Credentials::new(user.clone(), pass.clone()));
                }
                Sender::Smtp(builder.build())
            }
        })
    }

    pub async fn send(
        &self,
        sender: &str,
        recipient: &str,
        message_id: &str,
        message: &str,
    ) -> Result<(), SendError> {
        match self {
            Sender::Files(dir) => {
                let name: String = message_id
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                    .collect();
                let write = || -> std::io::Result<()> {
                    std::fs::create_dir_all(dir)?;
                    let tmp = dir.join(format!(".{name}.tmp"));
                    std::fs::write(&tmp, message)?;
                    std::fs::rename(&tmp, dir.join(format!("{name}.eml")))
                };
                write().map_err(|e| SendError::Transient(e.to_string()))
            }
            Sender::Smtp(smtp) => {
                let bad = |e: lettre::address::AddressError| SendError::Permanent(e.to_string());
                let from: Address = sender.parse().map_err(bad)?;
                let to: Address = recipient.parse().map_err(bad)?;
                let envelope = Envelope::new(Some(from), vec![to])
                    .map_err(|e| SendError::Permanent(e.to_string()))?;
                match smtp.send_raw(&envelope, message.as_bytes()).await {
                    Ok(_) => Ok(()),
                    Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
                    Err(e) => Err(SendError::Transient(e.to_string())),
                }
            }
        }
    }
}

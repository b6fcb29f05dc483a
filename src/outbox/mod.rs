//! The outbox: mail is durable. A message is composed (by the feature it is about) and queued in
//! the same database transaction as the action that causes it (`queue`), stored fully formatted
//! with a stable Message-ID, and delivered by a background worker (`worker`) over SMTP, or
//! written as `.eml` files when no SMTP server is configured. Staff see the queue at
//! `/staff/mail` (`mail::staff`).

pub mod store;
pub mod transport;
pub mod unsubscribe;
pub mod worker;

use askama::Template;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::{Address, Message};

use crate::db::Tx;
use crate::i18n::Tr;
pub use store::NewMessage;

/// The body of every message: one layout (templates/mail/), filled from Fluent strings.
#[derive(Clone, Debug, Default)]
pub struct Body {
    pub lang: &'static str,
    pub greeting: String,
    pub paragraphs: Vec<String>,
    pub details: Vec<(String, String)>,
    pub links: Vec<(String, String)>,
    pub after_links: Vec<String>,
    /// Lines after the links: how long a link works, how to stop reminders.
    pub footer: Vec<String>,
    pub signature: String,
}

#[derive(Template)]
#[template(path = "mail/message.txt")]
struct TextMail<'a> {
    m: &'a Body,
}

#[derive(Template)]
#[template(path = "mail/message.html")]
struct HtmlMail<'a> {
    m: &'a Body,
    subject: &'a str,
}

/// A message ready to queue.
pub struct Letter {
    pub kind: &'static str,
    /// At most one message per key (e.g. `event-cancelled:12:ana@example.org`).
    pub dedupe_key: Option<String>,
    pub to_name: String,
    pub to_email: String,
    pub subject: String,
    pub body: Body,
    /// File name and iCalendar text.
    pub calendar: Option<(String, String)>,
    /// Reminders: the one-click unsubscribe URL, sent as `List-Unsubscribe` (RFC 2369, 8058).
    pub unsubscribe: Option<String>,
    /// Whose staff see it at `/staff/mail`: the country of the event it is about, or the one a
    /// staff digest covers; `None` (mail about an account) for staff of every country only.
    pub country: Option<String>,
}

/// A display name or subject made safe for a header: no control characters (so no CR/LF), at most
/// `max` characters. lettre encodes non-ASCII itself.
pub fn header_text(s: &str, max: usize) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut out: String = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.chars().count() > max {
        out = out.chars().take(max.saturating_sub(1)).collect::<String>() + "…";
    }
    out
}

/// The domain Message-IDs are made in: the From address's.
fn id_domain(from: &Mailbox) -> String {
    from.email.domain().to_string()
}

/// Builds the RFC 5322 message. Returns (Message-ID, sender address, formatted message).
pub fn format(now: i64, from: &str, letter: &Letter) -> anyhow::Result<(String, String, String)> {
    let from: Mailbox = from.parse()?;
    let to_addr: Address = letter.to_email.parse()?;
    let name = header_text(&letter.to_name, 64);
    let to = Mailbox::new((!name.is_empty()).then_some(name), to_addr);
    let message_id = format!(
        "<{}.{}@{}>",
        now,
        hex::encode(rand::random::<[u8; 12]>()),
        id_domain(&from)
    );
    let subject = header_text(&letter.subject, 150);
    let text = TextMail { m: &letter.body }.render()?;
    let html = HtmlMail {
        m: &letter.body,
        subject: &subject,
    }
    .render()?;
    let builder = Message::builder()
        .message_id(Some(message_id.clone()))
        .from(from.clone())
        .to(to)
        .subject(subject)
        .date(std::time::UNIX_EPOCH + std::time::Duration::from_millis(now.max(0) as u64));
    let builder = match &letter.unsubscribe {
        Some(url) => builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_string(),
            )),
        None => builder,
    };
    let alternative = MultiPart::alternative_plain_html(text, html);
    let message = match &letter.calendar {
        Some((file, ics)) => {
            builder.multipart(MultiPart::mixed().multipart(alternative).singlepart(
                Attachment::new(file.clone()).body(
                    ics.clone(),
                    ContentType::parse("text/calendar; charset=utf-8")?,
                ),
            ))?
        }
        None => builder.multipart(alternative)?,
    };
    let raw = String::from_utf8(message.formatted())?;
    Ok((message_id, from.email.to_string(), raw))
}

/// Formats a letter for the outbox: `None` (logged, without the address) when lettre refuses it,
/// which never fails the action that caused it.
pub fn compose(now: i64, from: &str, letter: Letter) -> Option<NewMessage> {
    match format(now, from, &letter) {
        Ok((message_id, sender, message)) => Some(NewMessage {
            kind: letter.kind,
            dedupe_key: letter.dedupe_key,
            sender,
            recipient: letter.to_email,
            message_id,
            message,
            country: letter.country,
        }),
        Err(err) => {
            tracing::warn!(kind = letter.kind, error = %err, "message not queued: it could not be composed");
            None
        }
    }
}

/// Queues a message in the caller's transaction. A message whose dedupe key was already used is
/// dropped (returns false), as is one that could not be composed (`compose`).
pub async fn queue(tx: &mut Tx, now: i64, from: &str, letter: Letter) -> Result<bool, sqlx::Error> {
    match compose(now, from, letter) {
        Some(message) => store::insert(tx, now, &message).await,
        None => Ok(false),
    }
}

fn greeting(tr: &Tr, name: &str) -> String {
    if name.trim().is_empty() {
        return tr.t("mail-hello-plain");
    }
    tr.t1("mail-hello", "name", header_text(name, 64))
}

/// A message's body in `tr`'s language, greeting `name`.
pub fn body(tr: &Tr, name: &str) -> Body {
    Body {
        lang: tr.lang.code(),
        greeting: greeting(tr, name),
        signature: tr.t("mail-signature"),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::mail::DEFAULT_FROM;

    fn letter(name: &str, subject: &str) -> Letter {
        Letter {
            kind: "test",
            dedupe_key: None,
            to_name: name.into(),
            to_email: "ana@example.org".into(),
            subject: subject.into(),
            body: Body {
                greeting: "Hello".into(),
                ..Default::default()
            },
            calendar: None,
            unsubscribe: None,
            country: None,
        }
    }

    #[test]
    fn no_header_injection_and_long_names_truncated() {
        let (_, _, raw) = format(
            0,
            DEFAULT_FROM,
            &letter(
                "Eve\r\nBcc: victim@example.org",
                "Hi\r\nBcc: other@example.org",
            ),
        )
        .unwrap();
        let headers = raw.split("\r\n\r\n").next().unwrap();
        assert!(
            !headers
                .lines()
                .any(|l| l.to_ascii_lowercase().starts_with("bcc:")),
            "{headers}"
        );
        let long = "N".repeat(500);
        let (_, _, raw) = format(0, DEFAULT_FROM, &letter(&long, "x")).unwrap();
        assert!(!raw.contains(&"N".repeat(100)));
        let (id, sender, raw) = format(0, DEFAULT_FROM, &letter("Zoë Ñandú 李", "Été")).unwrap();
        assert!(raw.contains(&id) && id.ends_with("@localhost>"));
        assert_eq!(sender, "writeathon@localhost");
        assert_eq!(header_text("a\r\nb\tc", 10), "a b c");
    }
}

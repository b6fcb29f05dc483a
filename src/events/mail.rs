//! Mail about events and RSVPs, composed in the recipient's language and queued in the caller's
//! transaction. Each function reads what it needs through that transaction.

use super::rsvps::RsvpStatus;
use super::store::Contact;
use super::{Event, store};
use crate::config::Settings;
use crate::db::Tx;
use crate::i18n::{Lang, Tr};
use crate::outbox::{Letter, body, queue};

/// The event as this transaction sees it (`store::get_in`, under the name reminders use).
pub use super::store::get_in as event_in;

fn when(event: &Event) -> String {
    let start = event.local_start();
    let end = event.local_end();
    format!(
        "{} – {} ({})",
        start.format("%Y-%m-%d %H:%M"),
        if start.date_naive() == end.date_naive() {
            end.format("%H:%M").to_string()
        } else {
            end.format("%Y-%m-%d %H:%M").to_string()
        },
        event.timezone.name()
    )
}

/// When and where; the street address only for confirmed attendees.
pub fn details(tr: &Tr, event: &Event, with_address: bool) -> Vec<(String, String)> {
    let country = crate::geo::country_name(&event.country, tr.lang).unwrap_or(&event.country);
    let mut place = Vec::new();
    if with_address && !event.venue_name.is_empty() {
        place.push(event.venue_name.clone());
    }
    place.push(event.city.clone());
    place.push(country.to_string());
    let mut out = vec![
        (tr.t("mail-when"), when(event)),
        (tr.t("mail-where"), place.join(", ")),
    ];
    if with_address && !event.address.is_empty() {
        out.push((tr.t("mail-address"), event.address.clone()));
    }
    if with_address && !event.accessibility.is_empty() {
        out.push((tr.t("mail-accessibility"), event.accessibility.clone()));
    }
    out
}

fn calendar(settings: &Settings, event: &Event) -> Option<(String, String)> {
    Some((
        format!("event-{}.ics", event.id),
        super::feeds::ics(&[(event, true, false)], &settings.public_url),
    ))
}

/// A new RSVP: confirmed (address, calendar, cancel link) or waitlisted (no address).
#[allow(clippy::too_many_arguments)]
pub async fn rsvp_made(
    tx: &mut Tx,
    now: i64,
    settings: &Settings,
    event: &Event,
    name: &str,
    email: &str,
    lang: Lang,
    confirmed: bool,
    token: &str,
    dedupe_key: Option<String>,
) -> Result<(), sqlx::Error> {
    let tr = Tr::new(lang);
    let base = &settings.public_url;
    let cancel_url = format!("{base}/rsvps/{token}");
    let mut b = body(&tr, name);
    let (kind, subject, cal) = if confirmed {
        b.paragraphs.push(tr.t("mail-rsvp-confirmed-body"));
        b.details = details(&tr, event, true);
        (
            "rsvp-confirmed",
            tr.t1("mail-rsvp-confirmed-subject", "title", event.title.as_str()),
            calendar(settings, event),
        )
    } else {
        b.paragraphs.push(tr.t("mail-rsvp-waitlisted-body"));
        b.details = details(&tr, event, false);
        (
            "rsvp-waitlisted",
            tr.t1(
                "mail-rsvp-waitlisted-subject",
                "title",
                event.title.as_str(),
            ),
            None,
        )
    };
    b.links.push((
        tr.t("mail-event-page"),
        format!("{base}/events/{}", event.id),
    ));
    b.after_links.push(tr.t("mail-rsvp-cancel-hint"));
    b.links.push((tr.t("mail-cancel-link"), cancel_url));
    queue(
        tx,
        now,
        &settings.mail.from,
        Letter {
            kind,
            dedupe_key,
            to_name: name.to_string(),
            to_email: email.to_string(),
            subject,
            body: b,
            calendar: cal,
            unsubscribe: None,
            country: Some(event.country.clone()),
        },
    )
    .await?;
    Ok(())
}

/// People moved up from the waitlist: confirmed, with the address and calendar.
pub async fn promoted(
    tx: &mut Tx,
    now: i64,
    settings: &Settings,
    event_id: i64,
    rsvp_ids: &[i64],
) -> Result<(), sqlx::Error> {
    if rsvp_ids.is_empty() {
        return Ok(());
    }
    let event = event_in(tx, event_id).await?;
    let base = &settings.public_url;
    for id in rsvp_ids {
        if let Some(r) = store::rsvps::recipient(tx, *id).await? {
            let p = r.contact;
            let tr = Tr::new(p.lang);
            let mut b = body(&tr, &p.name);
            b.paragraphs.push(tr.t("mail-promoted-body"));
            b.details = details(&tr, &event, true);
            b.links.push((
                tr.t("mail-event-page"),
                format!("{base}/events/{}", event.id),
            ));
            b.after_links.push(tr.t("mail-rsvp-cancel-hint"));
            let token = super::rsvps::new_cancel_link(tx, now, *id).await?;
            b.links
                .push((tr.t("mail-cancel-link"), format!("{base}/rsvps/{token}")));
            queue(
                tx,
                now,
                &settings.mail.from,
                Letter {
                    kind: "rsvp-promoted",
                    dedupe_key: None,
                    to_name: p.name.clone(),
                    to_email: p.email.clone(),
                    subject: tr.t1("mail-promoted-subject", "title", event.title.as_str()),
                    body: b,
                    calendar: calendar(settings, &event),
                    unsubscribe: None,
                    country: Some(event.country.clone()),
                },
            )
            .await?;
        }
    }
    Ok(())
}

/// The event changed (time or place) or was cancelled: everyone who RSVP'd, confirmed or
/// waitlisted. Confirmed people see the address; waitlisted people do not.
pub async fn event_changed(
    tx: &mut Tx,
    now: i64,
    settings: &Settings,
    event_id: i64,
    cancelled: bool,
) -> Result<(), sqlx::Error> {
    let event = event_in(tx, event_id).await?;
    let base = &settings.public_url;
    let slug = store::campaign_slug_in(tx, event.campaign_id).await?;
    for r in store::rsvps::recipients_of(tx, event_id).await? {
        let Contact { name, email, lang } = r.contact;
        let confirmed = r.status == RsvpStatus::Confirmed;
        let tr = Tr::new(lang);
        let mut b = body(&tr, &name);
        let (kind, subject, key) = if cancelled {
            b.paragraphs.push(tr.t("mail-cancelled-body"));
            b.details = details(&tr, &event, false);
            b.links.push((
                tr.t("mail-find-events"),
                format!("{base}/campaigns/{slug}/events"),
            ));
            (
                "event-cancelled",
                tr.t1("mail-cancelled-subject", "title", event.title.as_str()),
                Some(format!("event-cancelled:{}:{email}", event.id)),
            )
        } else {
            b.paragraphs.push(tr.t("mail-changed-body"));
            b.details = details(&tr, &event, confirmed);
            b.links.push((
                tr.t("mail-event-page"),
                format!("{base}/events/{}", event.id),
            ));
            (
                "event-changed",
                tr.t1("mail-changed-subject", "title", event.title.as_str()),
                None,
            )
        };
        queue(
            tx,
            now,
            &settings.mail.from,
            Letter {
                kind,
                dedupe_key: key,
                to_name: name,
                to_email: email,
                subject,
                body: b,
                calendar: if !cancelled && confirmed {
                    calendar(settings, &event)
                } else {
                    None
                },
                unsubscribe: None,
                country: Some(event.country.clone()),
            },
        )
        .await?;
    }
    Ok(())
}

/// To the host on registering an event: what next, the cases, the report form.
pub async fn host_registered(
    tx: &mut Tx,
    now: i64,
    settings: &Settings,
    event_id: i64,
) -> Result<(), sqlx::Error> {
    let event = event_in(tx, event_id).await?;
    let Contact { name, email, lang } = store::host_contact(tx, event.host_id).await?;
    let slug = store::campaign_slug_in(tx, event.campaign_id).await?;
    let tr = Tr::new(lang);
    let base = &settings.public_url;
    let mut b = body(&tr, &name);
    b.paragraphs.push(tr.t("mail-host-body"));
    b.paragraphs
        .push(format!("1. {}", tr.t("mail-host-step-cases")));
    b.paragraphs
        .push(format!("2. {}", tr.t("mail-host-step-share")));
    b.paragraphs
        .push(format!("3. {}", tr.t("mail-host-step-report")));
    b.details = details(&tr, &event, true);
    b.links.push((
        tr.t("mail-event-page"),
        format!("{base}/events/{}", event.id),
    ));
    b.links
        .push((tr.t("mail-cases-link"), format!("{base}/campaigns/{slug}")));
    b.links.push((
        tr.t("mail-report-link"),
        format!("{base}/events/{}/report", event.id),
    ));
    b.links
        .push((tr.t("mail-dashboard-link"), format!("{base}/host")));
    b.links.push((
        tr.t("mail-kit-link"),
        format!("{base}/events/{}/kit.pdf", event.id),
    ));
    queue(
        tx,
        now,
        &settings.mail.from,
        Letter {
            kind: "host-registered",
            dedupe_key: Some(format!("host-registered:{}", event.id)),
            to_name: name,
            to_email: email,
            subject: tr.t1("mail-host-subject", "title", event.title.as_str()),
            body: b,
            calendar: None,
            unsubscribe: None,
            country: Some(event.country.clone()),
        },
    )
    .await?;
    Ok(())
}

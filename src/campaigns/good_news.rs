//! Good news, told: a case update sent as good news is mailed, in the transaction that records it,
//! to every host whose reports counted letters for the case and to every attendee of those events
//! who ticked "tell me what happens" on their RSVP; once per update and address (the outbox's
//! dedupe key), in each recipient's language, with the link that turns such mail off.

use super::{Campaign, Case, store};
use crate::config::Settings;
use crate::db::Tx;
use crate::i18n::{Lang, Msg, Tr};
use crate::outbox::{Letter, body, queue, unsubscribe};

/// Queues the mail of update `update_id` (its `note`, as staff wrote it); returns how many.
pub async fn notify(
    tx: &mut Tx,
    now: i64,
    settings: &Settings,
    (campaign, case): (&Campaign, &Case),
    update_id: i64,
    note: &str,
) -> Result<usize, sqlx::Error> {
    let recipients = store::good_news_recipients(tx, case.id).await?;
    let mut seen = std::collections::HashSet::new();
    let mut queued = 0;
    let base = &settings.public_url;
    for r in recipients {
        if !seen.insert(r.email.clone()) {
            continue;
        }
        let Some(stop_url) = unsubscribe::link(tx, now, settings, &r.email).await? else {
            continue;
        };
        let tr = Tr::new(Lang::from_code(&r.language).unwrap_or_default());
        let mut b = body(&tr, &r.name);
        b.paragraphs.push(
            tr.msg(
                &Msg::new("mail-good-news-body")
                    .arg("case", &case.name)
                    .arg("campaign", &campaign.title),
            ),
        );
        b.paragraphs.push(note.to_string());
        b.links.push((
            tr.t("mail-good-news-link"),
            format!("{base}/campaigns/{}/cases/{}", campaign.slug, case.slug),
        ));
        b.footer.push(tr.t("mail-unsubscribe-hint"));
        b.links
            .push((tr.t("mail-unsubscribe-link"), stop_url.clone()));
        let letter = Letter {
            kind: "good-news",
            dedupe_key: Some(format!("good-news:{update_id}:{}", r.email)),
            to_name: r.name,
            to_email: r.email,
            subject: tr.t1("mail-good-news-subject", "case", case.name.as_str()),
            body: b,
            calendar: None,
            unsubscribe: Some(stop_url),
            country: Some(r.country),
        };
        if queue(tx, now, &settings.mail.from, letter).await? {
            queued += 1;
        }
    }
    store::update_notified(tx, update_id, now).await?;
    Ok(queued)
}

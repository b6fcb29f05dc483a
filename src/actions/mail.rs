//! The confirmation message of an online action, in the signer's language.

use super::committer::NewAction;
use crate::config::Settings;
use crate::i18n::{Msg, Tr};
use crate::outbox::{Letter, body};

/// The mail with the confirmation link `token`: one for all the cases acted on at once. Queued at
/// most once an hour per address and campaign (its dedupe key).
pub fn confirmation(settings: &Settings, act: &NewAction, token: &str, now: i64) -> Letter {
    let tr = Tr::new(act.input.language);
    let mut b = body(&tr, &act.input.name);
    let cases: Vec<&str> = act.cases.iter().map(|(_, name)| name.as_str()).collect();
    b.paragraphs.push(
        tr.msg(
            &Msg::new("mail-action-confirm-body")
                .arg("cases", cases.join(", "))
                .arg("campaign", &act.campaign_title),
        ),
    );
    b.links.push((
        tr.t("mail-action-confirm-link"),
        format!("{}/actions/confirm/{token}", settings.public_url),
    ));
    b.footer.push(tr.t("mail-action-confirm-ignore"));
    Letter {
        kind: "action-confirm",
        dedupe_key: Some(format!(
            "action-confirm:{}:{}:{}",
            act.campaign_id,
            act.input.email,
            now / super::REMAIL_EVERY_MS
        )),
        to_name: act.input.name.clone(),
        to_email: act.input.email.clone(),
        subject: tr.t1(
            "mail-action-confirm-subject",
            "campaign",
            act.campaign_title.as_str(),
        ),
        body: b,
        calendar: None,
        unsubscribe: None,
        country: Some(act.input.country.clone()),
    }
}

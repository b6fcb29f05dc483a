//! The confirmation message of an online action, in the signer's language.

use super::ActionInput;
use crate::campaigns::{Campaign, Case};
use crate::config::Settings;
use crate::i18n::{Msg, Tr};
use crate::outbox::{Letter, body};

/// The mail with the confirmation link `token`: one for all the cases acted on at once. Queued at
/// most once an hour per address and campaign (its dedupe key).
pub fn confirmation(
    settings: &Settings,
    campaign: &Campaign,
    cases: &[Case],
    input: &ActionInput,
    token: &str,
    now: i64,
) -> Letter {
    let tr = Tr::new(input.language);
    let mut b = body(&tr, &input.name);
    let cases: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    b.paragraphs.push(
        tr.msg(
            &Msg::new("mail-action-confirm-body")
                .arg("cases", cases.join(", "))
                .arg("campaign", &campaign.title),
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
            campaign.id,
            input.email,
            now / super::REMAIL_EVERY_MS
        )),
        to_name: input.name.clone(),
        to_email: input.email.clone(),
        subject: tr.t1(
            "mail-action-confirm-subject",
            "campaign",
            campaign.title.as_str(),
        ),
        body: b,
        calendar: None,
        unsubscribe: None,
        country: Some(input.country.clone()),
    }
}

//! What each kit document says, as the data the template lays out: a case sheet, a letter, a
//! solidarity card per case; a sign-in sheet and a poster per event. Every label is a Fluent
//! message in the kit's language; case texts come in that language or the case's fallback, and
//! then the page says so.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use serde_json::{Value, json};

use super::Paper;
use super::markup::{from_markdown, plain_paragraph};
use super::typeset::{Attachment, FAMILIES};
use crate::campaigns::{Campaign, Case};
use crate::events::Event;
use crate::i18n::{Lang, Msg, Tr, long_date};

/// Rows on a sign-in sheet's first page.
pub const SIGNIN_ROWS: usize = 18;

/// Lines to write on below a solidarity card's message idea.
const CARD_LINES: usize = 6;

/// One PDF to make: its data and the files it shows (QR codes).
pub struct Document {
    pub data: Value,
    pub attachments: Vec<Attachment>,
}

/// The parts of a kit, in order.
pub struct Kit<'a> {
    pub lang: Lang,
    pub paper: Paper,
    pub today: chrono::NaiveDate,
    pub campaign: &'a Campaign,
    pub title: String,
    parts: Vec<Value>,
    attachments: Vec<Attachment>,
}

fn language_name(code: &str, tr: &Tr) -> String {
    match Lang::from_code(code) {
        Some(l) => l.native_name().to_string(),
        None => crate::i18n::event_languages()
            .into_iter()
            .find(|(c, _)| *c == code)
            .map(|(_, n)| n.to_string())
            .unwrap_or_else(|| tr.t("kit-language-unknown")),
    }
}

fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// The QR code of `url` as SVG: error correction M, with its quiet zone.
pub fn qr_svg(url: &str) -> Vec<u8> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .expect("a URL of a few hundred bytes fits a QR code");
    code.render::<svg::Color>()
        .quiet_zone(true)
        .min_dimensions(240, 240)
        .build()
        .into_bytes()
}

impl<'a> Kit<'a> {
    pub fn new(
        lang: Lang,
        paper: Paper,
        today: chrono::NaiveDate,
        campaign: &'a Campaign,
        title: String,
    ) -> Kit<'a> {
        Kit {
            lang,
            paper,
            today,
            campaign,
            title,
            parts: Vec::new(),
            attachments: Vec::new(),
        }
    }

    fn tr(&self) -> Tr {
        Tr::new(self.lang)
    }

    /// A note when the case is not written in the kit's language.
    fn note(&self, case: &Case) -> Value {
        if case.text.language == self.lang.code() {
            return Value::Null;
        }
        let tr = self.tr();
        let msg = Msg::new("kit-fallback-note")
            .arg("asked", self.lang.native_name())
            .arg("shown", language_name(&case.text.language, &tr));
        Value::String(tr.msg(&msg))
    }

    fn country(&self, code: &str) -> String {
        crate::geo::country_name(code, self.lang)
            .unwrap_or(code)
            .to_string()
    }

    pub fn sheet(&mut self, case: &Case) {
        let tr = self.tr();
        let authority = [case.authority_name.as_str(), case.authority_title.as_str()]
            .iter()
            .filter(|s| !s.trim().is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        self.parts.push(json!({
            "kind": "sheet",
            "note": self.note(case),
            "name": case.name,
            "initials": initials(&case.name),
            "subtitle": format!("{} · {}", self.country(&case.country), tr.t(case.status.label_key())),
            "story": from_markdown(&case.text.summary, 1),
            "authority": authority,
        }));
    }

    pub fn letter(&mut self, case: &Case) {
        let tr = self.tr();
        let mut recipient: Vec<String> = Vec::new();
        for line in [&case.authority_name, &case.authority_title] {
            if !line.trim().is_empty() {
                recipient.push(line.trim().to_string());
            }
        }
        let address: Vec<String> = case
            .authority_address
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        if address.is_empty() {
            recipient.push(tr.t("kit-address-to-follow"));
        } else {
            recipient.extend(address);
        }
        let salutation = if case.text.salutation.trim().is_empty() {
            tr.t("kit-salutation-default")
        } else {
            case.text.salutation.trim().to_string()
        };
        self.parts.push(json!({
            "kind": "letter",
            "note": self.note(case),
            "date": long_date(self.today, self.lang),
            "recipient": recipient,
            "subject": tr.t1("kit-letter-subject", "name", case.name.as_str()),
            "salutation": plain_paragraph(&salutation),
            "body": from_markdown(&case.text.sample_letter, 2),
            "postage": tr.t1("kit-postage", "country", self.country(&case.country)),
        }));
    }

    pub fn card(&mut self, case: &Case) {
        let idea = if case.text.solidarity.trim().is_empty() {
            from_markdown(&self.tr().t("kit-card-idea-default"), 0)
        } else {
            from_markdown(&case.text.solidarity, 2)
        };
        self.parts.push(json!({
            "kind": "card",
            "note": self.note(case),
            "name": case.name,
            "idea": idea,
            "lines": CARD_LINES,
        }));
    }

    /// Every case's sheet, letter and card.
    pub fn cases(&mut self, cases: &[Case]) {
        for case in cases {
            self.sheet(case);
            self.letter(case);
            self.card(case);
        }
    }

    fn when(&self, event: &Event) -> String {
        let start = event.local_start();
        let end = event.local_end();
        let end_text = if start.date_naive() == end.date_naive() {
            end.format("%H:%M").to_string()
        } else {
            format!(
                "{} {}",
                long_date(end.date_naive(), self.lang),
                end.format("%H:%M")
            )
        };
        format!(
            "{} · {}–{} ({})",
            long_date(start.date_naive(), self.lang),
            start.format("%H:%M"),
            end_text,
            event.timezone.name()
        )
    }

    /// Where the event is, as the public may know it: a home or private event by its town only.
    fn place(&self, event: &Event) -> (String, Value) {
        let mut place: Vec<String> = Vec::new();
        if !event.hides_location() {
            for part in [&event.venue_name, &event.address] {
                if !part.trim().is_empty() {
                    place.push(part.trim().to_string());
                }
            }
        }
        place.push(event.city.clone());
        place.push(self.country(&event.country));
        let note = if event.hides_location() {
            Value::String(self.tr().t("kit-place-private"))
        } else {
            Value::Null
        };
        (place.join(", "), note)
    }

    /// The sign-in sheet and the poster of `event`; `base` is the site's public address. The
    /// poster is on A3, its type scaled up by √2, when `poster_a3`.
    pub fn event(&mut self, event: &Event, base: &str, poster_a3: bool) {
        let (place, place_note) = self.place(event);
        let event_url = format!("{base}/events/{}", event.id);
        let report_url = format!("{base}/events/{}/report", event.id);
        self.parts.push(json!({
            "kind": "signin",
            "note": Value::Null,
            "title": event.title,
            "when": self.when(event),
            "place": place,
            "rows": SIGNIN_ROWS,
        }));
        self.parts.push(json!({
            "kind": "poster",
            "note": Value::Null,
            "title": event.title,
            "when": self.when(event),
            "place": place,
            "place-note": place_note,
            "url": event_url,
            "paper": if poster_a3 { Value::from("a3") } else { Value::Null },
            "scale": if poster_a3 { std::f64::consts::SQRT_2 } else { 1.0 },
        }));
        self.attachments.push(Attachment {
            name: "qr-report.svg".into(),
            bytes: qr_svg(&report_url),
        });
        self.attachments.push(Attachment {
            name: "qr-event.svg".into(),
            bytes: qr_svg(&event_url),
        });
    }

    /// A case's online petition for its authority: its demand, how many signed from how many
    /// countries, and each signer as (name, country code). Names and countries only.
    pub fn petition(&mut self, case: &Case, signers: &[(String, String)]) {
        let tr = self.tr();
        let countries: std::collections::BTreeSet<&str> =
            signers.iter().map(|(_, c)| c.as_str()).collect();
        let to = [case.authority_name.as_str(), case.authority_title.as_str()]
            .iter()
            .filter(|s| !s.trim().is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        let rows: Vec<[String; 2]> = signers
            .iter()
            .map(|(name, country)| [name.clone(), self.country(country)])
            .collect();
        self.parts.push(json!({
            "kind": "petition",
            "note": self.note(case),
            "heading": tr.t1("kit-petition-heading", "case", case.name.as_str()),
            "to": tr.t1("kit-petition-to", "authority", to),
            "demand": from_markdown(&case.text.summary, 1),
            "count": tr.msg(
                &Msg::new("kit-petition-count")
                    .arg("count", signers.len())
                    .arg("countries", countries.len()),
            ),
            "col-name": tr.t("kit-col-name"),
            "col-country": tr.t("kit-petition-col-country"),
            "rows": rows,
        }));
    }

    /// A part its caller composed (the recap): its `kind` is one `kit.typ` lays out, its texts
    /// already in the kit's language, and the files it shows (maps as SVG).
    pub fn composed(&mut self, part: Value, attachments: Vec<Attachment>) {
        self.parts.push(part);
        self.attachments.extend(attachments);
    }

    pub fn finish(self) -> Document {
        let tr = Tr::new(self.lang);
        let labels: serde_json::Map<String, Value> = LABELS
            .iter()
            .map(|(key, id)| ((*key).to_string(), Value::String(tr.t(id))))
            .chain(std::iter::once((
                "language".to_string(),
                Value::String(tr.t1("kit-language", "language", self.lang.native_name())),
            )))
            .collect();
        Document {
            data: json!({
                "lang": self.lang.code(),
                "paper": self.paper.typst_name(),
                "title": self.title,
                "author": tr.t("kit-author"),
                "campaign": self.campaign.title,
                "families": FAMILIES,
                "labels": labels,
                "parts": self.parts,
            }),
            attachments: self.attachments,
        }
    }
}

/// Every message a kit document may show (the key of a made kit covers their texts).
pub const MESSAGES: [&str; 34] = [
    "kit-author",
    "kit-language",
    "kit-language-unknown",
    "kit-fallback-note",
    "kit-title-campaign",
    "kit-title-letter",
    "kit-title-sheet",
    "kit-title-event",
    "kit-photo",
    "kit-write-to",
    "kit-ask",
    "kit-your-address",
    "kit-signature",
    "kit-letter-subject",
    "kit-salutation-default",
    "kit-address-to-follow",
    "kit-postage",
    "kit-card-front",
    "kit-card-line",
    "kit-card-idea",
    "kit-card-idea-default",
    "kit-fold",
    "kit-signin-title",
    "kit-privacy",
    "kit-col-name",
    "kit-col-email",
    "kit-col-letters",
    "kit-qr-report",
    "kit-qr-event",
    "kit-poster-invite",
    "kit-place-private",
    "case-status-active",
    "case-status-good-news",
    "case-status-closed",
];

/// The template's labels: its name for each, and the Fluent id.
const LABELS: [(&str, &str); 17] = [
    ("photo", "kit-photo"),
    ("write-to", "kit-write-to"),
    ("ask", "kit-ask"),
    ("your-address", "kit-your-address"),
    ("signature", "kit-signature"),
    ("card-front", "kit-card-front"),
    ("card-line", "kit-card-line"),
    ("card-idea", "kit-card-idea"),
    ("fold", "kit-fold"),
    ("signin-title", "kit-signin-title"),
    ("privacy", "kit-privacy"),
    ("col-name", "kit-col-name"),
    ("col-email", "kit-col-email"),
    ("col-letters", "kit-col-letters"),
    ("qr-report", "kit-qr-report"),
    ("qr-event", "kit-qr-event"),
    ("poster-invite", "kit-poster-invite"),
];

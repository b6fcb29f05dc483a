//! Campaigns (one edition of the write-a-thon) and their cases (the people we write for):
//! public pages, staff pages to set them up and the JSON API.

pub mod api;
pub mod audit;
pub mod good_news;
pub mod pages;
pub mod staff;
pub mod store;

use axum::Router;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::i18n::Lang;
use crate::i18n::{FieldErrors, Msg};
use crate::state::AppState;
use crate::web::forms;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(pages::router())
        .merge(staff::router())
        .merge(api::router())
}

#[derive(Clone, Debug)]
pub struct Campaign {
    pub id: i64,
    pub slug: String,
    pub title: String,
    /// Markdown, as written by staff.
    pub intro: String,
    /// The language `title` and `intro` are actually in (a fallback may differ from the visitor's).
    pub language: String,
    pub global_day: NaiveDate,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub report_deadline: NaiveDate,
    pub goal: i64,
}

impl Campaign {
    /// Days from `today` to the global day: positive before it, 0 on it, negative after.
    pub fn days_until_global_day(&self, today: NaiveDate) -> i64 {
        (self.global_day - today).num_days()
    }

    pub fn events_open(&self, today: NaiveDate) -> bool {
        self.starts_on <= today && today <= self.ends_on
    }

    pub fn reports_open(&self, today: NaiveDate) -> bool {
        self.starts_on <= today && today <= self.report_deadline
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseStatus {
    Active,
    GoodNews,
    Closed,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 3] = [CaseStatus::Active, CaseStatus::GoodNews, CaseStatus::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Active => "active",
            CaseStatus::GoodNews => "good_news",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Fluent id of the status's name.
    pub fn label_key(self) -> String {
        format!("case-status-{}", self.as_str().replace('_', "-"))
    }
}

#[derive(Clone, Debug)]
pub struct Case {
    pub id: i64,
    pub campaign_id: i64,
    pub slug: String,
    pub name: String,
    pub country: String,
    pub status: CaseStatus,
    pub authority_name: String,
    pub authority_title: String,
    pub authority_address: String,
    pub text: CaseText,
}

impl Case {
    /// Whether the case takes online actions on `today`: it is not closed, and its campaign's
    /// report deadline has not passed.
    pub fn takes_actions(&self, campaign: &Campaign, today: NaiveDate) -> bool {
        self.status != CaseStatus::Closed && today <= campaign.report_deadline
    }
}

/// The parts of a case written per language.
#[derive(Clone, Debug, Default)]
pub struct CaseText {
    pub language: String,
    /// Markdown.
    pub summary: String,
    pub salutation: String,
    pub sample_letter: String,
    pub solidarity: String,
}

#[derive(Clone, Debug)]
pub struct CaseUpdate {
    pub happened_on: NaiveDate,
    pub status: CaseStatus,
    pub note: String,
    pub language: String,
}

/// A campaign as typed into the staff form or sent to the API, before checking.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct CampaignFields {
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub intro: String,
    #[serde(default)]
    pub global_day: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    #[serde(default)]
    pub report_deadline: String,
    #[serde(default)]
    pub goal: String,
}

/// A campaign that passed every check.
#[derive(Clone, Debug)]
pub struct CampaignInput {
    pub slug: String,
    pub title: String,
    pub intro: String,
    pub language: Lang,
    pub global_day: NaiveDate,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub report_deadline: NaiveDate,
    pub goal: i64,
}

impl CampaignFields {
    pub fn parse(&self, language: Lang) -> Result<CampaignInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let slug = forms::slug(&mut e, "slug", &self.slug);
        let title = forms::line(&mut e, "title", &self.title, 3, 120);
        let intro = forms::text(&mut e, "intro", &self.intro, 0, 20_000);
        let global_day = forms::date(&mut e, "global_day", &self.global_day);
        let starts_on = forms::date(&mut e, "starts_on", &self.starts_on);
        let ends_on = forms::date(&mut e, "ends_on", &self.ends_on);
        let report_deadline = forms::date(&mut e, "report_deadline", &self.report_deadline);
        let goal = match self.goal.trim().parse::<i64>() {
            Ok(n) if (0..=1_000_000_000).contains(&n) => n,
            _ => {
                e.add(
                    "goal",
                    Msg::new("field-number-range")
                        .arg("min", 0)
                        .arg("max", 1_000_000_000),
                );
                0
            }
        };
        if let (Some(s), Some(g), Some(end)) = (starts_on, global_day, ends_on) {
            if !(s <= g && g <= end) {
                e.add("global_day", Msg::new("campaign-global-day-in-window"));
            }
            if (end - s).num_days() > 366 {
                e.add("ends_on", Msg::new("campaign-window-too-long"));
            }
        }
        if let (Some(end), Some(deadline)) = (ends_on, report_deadline)
            && deadline < end
        {
            e.add(
                "report_deadline",
                Msg::new("campaign-deadline-after-window"),
            );
        }
        e.into_result()?;
        Ok(CampaignInput {
            slug,
            title,
            intro,
            language,
            global_day: global_day.unwrap_or_default(),
            starts_on: starts_on.unwrap_or_default(),
            ends_on: ends_on.unwrap_or_default(),
            report_deadline: report_deadline.unwrap_or_default(),
            goal,
        })
    }
}

/// A case as typed into the staff form or sent to the API, before checking.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct CaseFields {
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub authority_name: String,
    #[serde(default)]
    pub authority_title: String,
    #[serde(default)]
    pub authority_address: String,
    #[serde(default)]
    pub salutation: String,
    #[serde(default)]
    pub sample_letter: String,
    #[serde(default)]
    pub solidarity: String,
}

#[derive(Clone, Debug)]
pub struct CaseInput {
    pub slug: String,
    pub name: String,
    pub country: String,
    pub authority_name: String,
    pub authority_title: String,
    pub authority_address: String,
    pub text: CaseText,
}

impl CaseFields {
    /// The form as filled from a stored case and its texts in one language.
    pub fn of(case: &Case, text: CaseText) -> CaseFields {
        CaseFields {
            slug: case.slug.clone(),
            name: case.name.clone(),
            country: case.country.clone(),
            summary: text.summary,
            authority_name: case.authority_name.clone(),
            authority_title: case.authority_title.clone(),
            authority_address: case.authority_address.clone(),
            salutation: text.salutation,
            sample_letter: text.sample_letter,
            solidarity: text.solidarity,
        }
    }

    pub fn parse(&self, language: Lang) -> Result<CaseInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let slug = forms::slug(&mut e, "slug", &self.slug);
        let name = forms::line(&mut e, "name", &self.name, 1, 120);
        let country = forms::country(&mut e, "country", &self.country);
        let summary = forms::text(&mut e, "summary", &self.summary, 1, 20_000);
        let authority_name = forms::line(&mut e, "authority_name", &self.authority_name, 1, 200);
        let authority_title = forms::line(&mut e, "authority_title", &self.authority_title, 0, 200);
        let authority_address = forms::text(
            &mut e,
            "authority_address",
            &self.authority_address,
            1,
            1000,
        );
        let salutation = forms::line(&mut e, "salutation", &self.salutation, 1, 200);
        let sample_letter = forms::text(&mut e, "sample_letter", &self.sample_letter, 0, 20_000);
        let solidarity = forms::text(&mut e, "solidarity", &self.solidarity, 0, 5_000);
        e.into_result()?;
        Ok(CaseInput {
            slug,
            name,
            country,
            authority_name,
            authority_title,
            authority_address,
            text: CaseText {
                language: language.code().to_string(),
                summary,
                salutation,
                sample_letter,
                solidarity,
            },
        })
    }
}

/// A dated status change, from the staff form.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct UpdateFields {
    #[serde(default)]
    pub happened_on: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub note: String,
}

impl UpdateFields {
    pub fn parse(&self) -> Result<(NaiveDate, CaseStatus, String), FieldErrors> {
        let mut e = FieldErrors::default();
        let date = forms::date(&mut e, "happened_on", &self.happened_on);
        let status = CaseStatus::parse(self.status.trim());
        if status.is_none() {
            e.add("status", Msg::new("field-choice"));
        }
        let note = forms::text(&mut e, "note", &self.note, 1, 2_000);
        e.into_result()?;
        Ok((
            date.unwrap_or_default(),
            status.unwrap_or(CaseStatus::Active),
            note,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_status_has_a_label_in_every_language() {
        for lang in crate::i18n::Lang::ALL {
            let defined = crate::i18n::ids_defined(lang);
            for status in CaseStatus::ALL {
                assert!(
                    defined.contains(&status.label_key()),
                    "{lang:?} lacks {status:?}"
                );
            }
        }
    }

    fn fields() -> CampaignFields {
        CampaignFields {
            slug: "w4r-2030".into(),
            title: "Write for Rights 2030".into(),
            intro: "Hello".into(),
            global_day: "2030-12-10".into(),
            starts_on: "2030-11-20".into(),
            ends_on: "2030-12-31".into(),
            report_deadline: "2031-01-31".into(),
            goal: "100000".into(),
        }
    }

    #[test]
    fn campaign_checks() {
        assert!(fields().parse(Lang::FALLBACK).is_ok());
        let bad = CampaignFields {
            slug: "Bad Slug".into(),
            global_day: "2030-13-10".into(),
            report_deadline: "2030-12-01".into(),
            goal: "-1".into(),
            ..fields()
        };
        let e = bad.parse(Lang::FALLBACK).unwrap_err();
        for field in ["slug", "global_day", "goal", "report_deadline"] {
            assert!(!e.get(field).is_empty(), "{field}: {e:?}");
        }
        let outside = CampaignFields {
            global_day: "2031-06-01".into(),
            ..fields()
        };
        assert_eq!(
            outside.parse(Lang::FALLBACK).unwrap_err().get("global_day")[0].key,
            "campaign-global-day-in-window"
        );
    }

    #[test]
    fn case_checks() {
        let e = CaseFields {
            country: "ZZ".into(),
            ..Default::default()
        }
        .parse(Lang::from_code("fr").unwrap())
        .unwrap_err();
        for field in [
            "slug",
            "name",
            "country",
            "summary",
            "authority_name",
            "authority_address",
            "salutation",
        ] {
            assert!(!e.get(field).is_empty(), "{field}: {e:?}");
        }
    }
}
